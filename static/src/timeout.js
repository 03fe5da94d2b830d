// Warns staff before the idle sign-out and lets them stay signed in (WCAG 2.2.1 Timing
// Adjustable). Without JavaScript nothing is lost either: an answer posted after the timeout
// is kept through sign-in and shown again. The warning is a modal dialog: focus stays in it,
// Escape means "Stay signed in" (as HMRC's timeout dialog), and focus goes back where it was.
// At the deadline the page is loaded again: signed out, that is the sign-in page, so no
// caller's answers stay on screen. The tabs of one browser share their latest deadline (a
// page loaded, or "Stay signed in", in one tab keeps the session for all), so a tab left
// open while the agent works in another neither warns nor reloads.
const SHARED_DEADLINE = "app-staff-deadline"; // a time only: nothing about the caller
// Signing out in one tab clears the others too (an agent's trial: a caller's answers stayed
// on screen in another tab of a shared computer): the sign-out page says when, and every
// tab loaded before then loads itself again, which signed out is the sign-in page.
const SIGNED_OUT = "app-staff-signed-out"; // a time only
// The page is loaded again only once the server's deadline has surely passed: loaded a
// moment early (the seconds left are rounded, clocks drift) it would count as activity and
// keep the session, so a tab left open would never sign out.
const PAST_THE_DEADLINE_MS = 5000;

function sharedDeadline() {
  try {
    return Number(window.localStorage.getItem(SHARED_DEADLINE)) || 0;
  } catch {
    return 0; // storage blocked: each tab keeps its own deadline, as before
  }
}

function shareDeadline(deadline) {
  try {
    window.localStorage.setItem(SHARED_DEADLINE, String(deadline));
  } catch {
    // storage blocked: nothing shared
  }
}
export function announceSignOut() {
  try {
    window.localStorage.setItem(SIGNED_OUT, String(Date.now()));
  } catch {
    // storage blocked: other tabs clear at their own deadline, as before
  }
}

function signedOutSince(loaded) {
  try {
    return Number(window.localStorage.getItem(SIGNED_OUT)) > loaded;
  } catch {
    return false;
  }
}

function words(seconds) {
  if (seconds >= 60) {
    const minutes = Math.ceil(seconds / 60);
    return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  }
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}

export function startTimeoutWarning(root) {
  root.setAttribute("data-app-timeout-warning-init", ""); // as GOV.UK components mark themselves
  const loaded = Date.now();
  const warnBefore = Number(root.dataset.warnBefore);
  let deadline = Date.now() + Number(root.dataset.secondsLeft) * 1000;
  shareDeadline(deadline); // this page was just served: the session's latest
  let shown = false;
  let spoken = false;
  const countdown = root.querySelector("[data-countdown]");
  const live = root.parentElement.querySelector("[data-live]");
  const form = root.querySelector("form");

  let before = null; // what had focus when the warning opened

  function close() {
    shown = false;
    spoken = false;
    root.hidden = true;
    if (before && document.contains(before)) before.focus();
  }

  function tick() {
    if (signedOutSince(loaded)) {
      window.location.replace(window.location.href); // signed out in another tab
      return;
    }
    const later = sharedDeadline();
    if (later > deadline) {
      deadline = later; // the agent is busy in another tab
      if (shown) close();
    }
    const left = deadline - Date.now();
    const remaining = Math.max(0, Math.ceil(left / 1000));
    if (remaining <= warnBefore && !shown) {
      shown = true;
      before = document.activeElement;
      root.hidden = false;
      // the least destructive action has focus (as WAI-ARIA's alert dialog pattern says):
      // Enter stays signed in; the dialog's title and text are read as it opens
      (form.querySelector("button") || root).focus();
    }
    if (left <= -PAST_THE_DEADLINE_MS) {
      window.location.replace(window.location.href); // the page, and what was typed on it, go
      return;
    }
    if (shown) {
      countdown.textContent = remaining ? words(remaining) : "now";
      if (!spoken || (remaining % 20 === 0 && left > -1000)) {
        spoken = true; // announced on showing, then every 20 seconds, not every second
        live.textContent = remaining
          ? `You will be signed out in ${words(remaining)}.`
          : "You have been signed out. Answers you had not saved on this page are not kept.";
      }
    }
    window.setTimeout(tick, 1000);
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(String(response.status));
      const data = await response.json();
      deadline = Date.now() + data.seconds_left * 1000;
      shareDeadline(deadline);
      close();
      live.textContent = "You are still signed in.";
    } catch {
      form.submit(); // the same request without JavaScript
    }
  });
  root.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      form.requestSubmit();
    } else if (event.key === "Tab") {
      event.preventDefault(); // the one control: focus stays on it while the dialog is open
      form.querySelector("button").focus();
    }
  });
  tick();
}
