// Starts GOV.UK Frontend's components. Loaded as a module, so it runs only in browsers that support them.
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

document.body.classList.add("govuk-frontend-supported");
initAll();
