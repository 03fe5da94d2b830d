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

for (const root of document.querySelectorAll('[data-module="app-timeout-warning"]')) {
  startTimeoutWarning(root);
}
