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

  function loadBoundaries (url) {
    if (!boundaryCache[url]) {
      boundaryCache[url] = fetch(url, { headers: { Accept: 'application/json' } })
        .then(function (response) { return response.ok ? response.json() : null })
        .catch(function () { return null })
    }
    return boundaryCache[url]
  }

  // The boundaries come as TopoJSON (a border shared by two councils stored once); each council
  // is turned back into a GeoJSON feature as it is drawn. A GeoJSON file is drawn as it is.
  var COUNCILS_PER_STEP = 20

  function councils (data) {
    return data.type === 'Topology' ? data.objects[Object.keys(data.objects)[0]].geometries : data.features
  }

  function drawInSteps (layer, data, start) {
    var batch = councils(data).slice(start, start + COUNCILS_PER_STEP).map(function (item) {
      return data.type === 'Topology' ? window.topojson.feature(data, item) : item
    })
    layer.addData({ type: 'FeatureCollection', features: batch })
    if (start + COUNCILS_PER_STEP < councils(data).length) {
      setTimeout(function () { drawInSteps(layer, data, start + COUNCILS_PER_STEP) }, 0)
    }
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
      // Boundaries go in a pane under the markers' and are drawn twenty councils at a
      // time, so that a phone's browser is never blocked for long by drawing all of them.
      map.createPane('boundaries').style.zIndex = 350
      loadBoundaries(boundaries).then(function (data) {
        if (!data) return
        var layer = window.L.geoJSON(null, {
          pane: 'boundaries',
          style: function () { return { className: 'app-map__boundary', weight: 1 } },
          interactive: false
        }).addTo(map)
        drawInSteps(layer, data, 0)
      })
    }
    return map
  }

  window.MatchmakerMaps = { createMap: createMap, element: element, label: label, link: link }
})()
