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
import { startTimeoutWarning } from "./timeout.js";

if (isSupported()) {
  for (const Component of [Button, CharacterCount, Checkboxes, ErrorSummary, FileUpload,
                           NotificationBanner,
                           Radios, ServiceNavigation, SkipLink]) {
    createAll(Component);
  }
}

// The enhanced file upload's button names itself in its aria-labelledby ("label, button").
// Browsers resolve that, but checkers such as axe-core stop at the self-reference and report
// that the visible text is missing from the name (WCAG 2.5.3). Naming the button's parts
// instead gives the same name: "Upload a photo, No file chosen, Choose file or drop file".
for (const button of document.querySelectorAll('.govuk-file-upload-button[aria-labelledby]')) {
  const parts = button.getAttribute('aria-labelledby').split(' ');
  const status = button.querySelector('.govuk-file-upload-button__status');
  const choose = button.querySelector('.govuk-file-upload-button__pseudo-button-container');
  if (parts.includes(button.id) && status && choose) {
    status.id = `${button.id}-status`;
    choose.id = `${button.id}-choose`;
    const comma = `${button.id}-comma`;
    button.setAttribute('aria-labelledby', parts.flatMap(
      (part) => (part === button.id ? [status.id, comma, choose.id] : [part])).join(' '));
  }
}

for (const root of document.querySelectorAll('[data-module="app-timeout-warning"]')) {
  startTimeoutWarning(root);
}
