// Starts GOV.UK Frontend's components. Everything works without it.
import { initAll } from "./govuk-frontend.min.js";
initAll();
