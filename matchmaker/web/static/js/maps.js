// Small place maps (council page, Find partners): the council and its partners or candidates.
(function () {
  'use strict'
  if (!window.L || !window.MatchmakerMaps) return
  var M = window.MatchmakerMaps

  function popup (point) {
    var title = point.url ? M.link(point.url, point.name) : document.createTextNode(point.name)
    var children = [M.element('strong', {}, [title])]
    if (point.rank) children.push(M.element('p', { class: 'govuk-body-s' }, ['Suggested partner number ' + point.rank]))
    return M.element('div', { class: 'app-popup' }, children)
  }

  document.querySelectorAll('[data-places-map]').forEach(function (container) {
    var points = JSON.parse(container.getAttribute('data-points') || '[]')
    var map = M.createMap(container)
    var markers = points.filter(function (p) { return p.lat !== null && p.lon !== null }).map(function (p) {
      var main = p.role === 'council'
      var marker = window.L.circleMarker([p.lat, p.lon], {
        radius: main ? 9 : 7,
        className: main ? 'app-map__council app-map__council--selected' : 'app-map__council'
      }).addTo(map)
      marker.bindTooltip(M.label(p.rank ? p.rank + '. ' + p.name : p.name), {
        permanent: Boolean(p.rank) && p.rank <= 5, direction: 'auto', className: 'app-map__label'
      })
      marker.bindPopup(popup(p))
      return marker
    })
    if (markers.length) {
      // Not animated: labels are placed once the map has its view, not in the middle of a zoom.
      map.fitBounds(window.L.featureGroup(markers).getBounds().pad(0.3), { maxZoom: 10, animate: false })
    }
    declutter(container)
    map.on('zoomend moveend', function () { declutter(container) })
    // The page can still change the map's size after this runs (a scrollbar appearing, say):
    // labels are placed again for the size the map ends up with.
    if (window.ResizeObserver) {
      new window.ResizeObserver(function () {
        map.invalidateSize()
        declutter(container)
      }).observe(container)
    }
  })

  // Permanent labels, best-ranked first: a label that would overlap one already shown, or run
  // past the map's edge, is hidden (its name stays in the marker's tooltip, popup and the list).
  function declutter (container) {
    var box = container.getBoundingClientRect()
    var shown = []
    var labels = Array.prototype.slice.call(container.querySelectorAll('.app-map__label'))
    labels.forEach(function (label) { label.classList.remove('app-map__label--hidden') })
    labels.forEach(function (label) {
      var r = label.getBoundingClientRect()
      var outside = r.left < box.left || r.right > box.right || r.top < box.top || r.bottom > box.bottom
      var overlaps = shown.some(function (s) {
        return r.left < s.right && s.left < r.right && r.top < s.bottom && s.top < r.bottom
      })
      if (outside || overlaps) label.classList.add('app-map__label--hidden')
      else shown.push(r)
    })
    container.setAttribute('data-labels-for', Math.round(box.width) + 'x' + Math.round(box.height))
  }
})()
