// Starts GOV.UK Frontend. Loaded as an ES module, so it runs only in browsers that support
// modules; the page template has already marked the body `govuk-frontend-supported` (with the
// same test) before the page painted.
import { initAll } from '../vendor/govuk-frontend/govuk-frontend.min.js'
import { initScrollingTables } from './scrolling-tables.js'

initAll()
initScrollingTables()
