// Shared map helpers: a Leaflet map over the bundled council boundaries (no tile server),
// and safe DOM building for pop-ups (text only, never HTML strings from data).
(function () {
  'use strict'
  var ENGLAND = [[49.8, -6.5], [55.9, 2.0]]
  var boundaryCache = {}

  function element (tag, attributes, children) {
    var node = document.createElement(tag)
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]) })
    ;(children || []).forEach(function (child) {
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child)
    })
    return node
  }

  // Leaflet puts a string tooltip in as HTML: data goes in as a text node inside a span.
  function label (text) {
    return element('span', {}, [String(text)])
  }

  function link (href, text) {
    return element('a', { href: href, class: 'govuk-link' }, [text])
  }

  // The boundaries come as TopoJSON (borders shared by two councils stored once): turned back
  // into GeoJSON features here, for Leaflet. A GeoJSON file is used as it is.
  function asGeoJSON (data) {
    if (!data || data.type !== 'Topology') return data
    var name = Object.keys(data.objects)[0]
    return window.topojson.feature(data, data.objects[name])
  }

  function loadBoundaries (url) {
    if (!boundaryCache[url]) {
      boundaryCache[url] = fetch(url, { headers: { Accept: 'application/json' } })
        .then(function (response) { return response.ok ? response.json() : null })
        .then(asGeoJSON)
        .catch(function () { return null })
    }
    return boundaryCache[url]
  }

  function createMap (container) {
    var fallback = container.querySelector('.app-map__fallback')
    if (fallback) fallback.remove()
    var map = window.L.map(container, {
      preferCanvas: false,
      zoomSnap: 0.25,
      attributionControl: true,
      keyboard: true
    })
    map.fitBounds(ENGLAND)
    map.attributionControl.setPrefix(false)
    map.attributionControl.addAttribution('Boundaries: ONS, OGL v3; contains OS data © Crown copyright')
    var tiles = container.getAttribute('data-tiles')
    if (tiles) {
      window.L.tileLayer(tiles, { attribution: container.getAttribute('data-tiles-attribution') || '' }).addTo(map)
    }
    var boundaries = container.getAttribute('data-boundaries')
    if (boundaries) {
      loadBoundaries(boundaries).then(function (geojson) {
        if (!geojson) return
        var layer = window.L.geoJSON(geojson, {
          style: function () { return { className: 'app-map__boundary', weight: 1 } },
          interactive: false
        }).addTo(map)
        layer.bringToBack()
      })
    }
    return map
  }

  window.MatchmakerMaps = { createMap: createMap, element: element, label: label, link: link }
})()
