// Starts the GOV.UK Frontend components this product uses, and only those (bundled by
// `make assets`). Every page works without it; the accessibility sweep fails if a
// component on a page is left uninitialised.
import {
  Button,
  CharacterCount,
  Checkboxes,
  createAll,
  ErrorSummary,
  FileUpload,
  isSupported,
  NotificationBanner,
  Radios,
  ServiceNavigation,
  SkipLink,
} from "govuk-frontend";
import { announceSignOut, startTimeoutWarning } from "./timeout.js";

if (isSupported()) {
  for (const Component of [Button, CharacterCount, Checkboxes, ErrorSummary, FileUpload,
                           NotificationBanner,
                           Radios, ServiceNavigation, SkipLink]) {
    createAll(Component);
  }
}

// The enhanced file upload's button reads "No file chosen" then (visually hidden) ", " then
// "Choose file". Without a space between them, a checker reading only the visible text gets
// "No file chosenChoose file", which is not in the accessible name, and reports WCAG 2.5.3.
// A space (which the button's flex layout ignores) keeps the visible words apart.
for (const status of document.querySelectorAll('.govuk-file-upload-button__status')) {
  status.after(' ');
}

for (const root of document.querySelectorAll('[data-module="app-timeout-warning"]')) {
  startTimeoutWarning(root);
}

if (document.querySelector("[data-app-signed-out]")) {
  announceSignOut(); // the page after signing out: the other tabs clear too
}
