// Tables wider than the screen scroll sideways inside a wrapper of their own, never the page. A
// wrapper that does scroll becomes a region named by the table's caption (or the heading above
// the table) and takes keyboard focus, so it can be reached with Tab and scrolled with the arrow
// keys (WCAG 2.1.1); a wrapper whose table fits is neither a tab stop nor a landmark. Checked when
// the browser first lays the wrapper out and whenever its size changes (a phone turned, a window
// resized): never by asking for its width at once, which would make the browser lay out at once
// the long tables it otherwise leaves until they near the screen (.app-render-when-near).
let made = 0

function idOf (element) {
  if (!element.id) element.id = `app-table-name-${++made}`
  return element.id
}

function headingBefore (table) {
  for (let node = table; node && node !== document.body; node = node.parentElement) {
    for (let before = node.previousElementSibling; before; before = before.previousElementSibling) {
      if (before.matches('h1, h2, h3, h4')) return before
      const inside = before.querySelectorAll('h1, h2, h3, h4')
      if (inside.length) return inside[inside.length - 1]
    }
  }
  return document.querySelector('h1')
}

function nameOf (table) {
  const named = table.querySelector(':scope > caption') || headingBefore(table)
  return named ? idOf(named) : null
}

function fit (wrapper, name) {
  const scrolls = wrapper.scrollWidth > wrapper.clientWidth
  wrapper.dataset.scrolls = String(scrolls)
  if (scrolls) {
    wrapper.setAttribute('tabindex', '0')
    wrapper.setAttribute('role', 'region')
    if (name) wrapper.setAttribute('aria-labelledby', name)
  } else {
    for (const attribute of ['tabindex', 'role', 'aria-labelledby']) wrapper.removeAttribute(attribute)
  }
}

export function initScrollingTables (root = document) {
  const observer = new ResizeObserver((entries) => {
    for (const entry of entries) fit(entry.target, entry.target.dataset.name)
  })
  for (const table of root.querySelectorAll('table.govuk-table')) {
    if (table.parentElement.classList.contains('app-table-scroll')) continue
    const wrapper = document.createElement('div')
    wrapper.className = 'app-table-scroll'
    const name = nameOf(table)
    if (name) wrapper.dataset.name = name
    table.before(wrapper)
    wrapper.append(table)
    observer.observe(wrapper)
  }
}
