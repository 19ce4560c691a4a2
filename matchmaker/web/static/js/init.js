// Starts GOV.UK Frontend. Loaded as an ES module, so it runs only in browsers that support
// modules: the same test GOV.UK Frontend's own template makes before adding the class.
import { initAll } from '../vendor/govuk-frontend/govuk-frontend.min.js'

document.body.classList.add('govuk-frontend-supported')
initAll()
