// The national map: arrangements drawn on 15 switchable service layers. Ticking a layer's box
// shows or hides it at once; "Apply filters" also filters the table and the downloads.
(function () {
  'use strict'
  if (!window.L || !window.MatchmakerMaps) return
  var M = window.MatchmakerMaps
  var container = document.querySelector('[data-national-map]')
  if (!container) return
  var status = document.getElementById('map-status')
  var STATUS_LABELS = { operational: 'Operational', in_development: 'In development', ended: 'Ended' }

  function line (label, value) {
    return M.element('p', { class: 'govuk-body-s app-popup__line' }, [M.element('strong', {}, [label + ': ']), value])
  }

  function showContacts (arrangement, holder, button) {
    button.disabled = true
    fetch(arrangement.contacts_url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (response) { return response.ok ? response.json() : { contacts: [] } })
      .then(function (data) {
        var list = M.element('ul', { class: 'govuk-list govuk-body-s app-contacts' })
        data.contacts.forEach(function (c) {
          var parts = [M.element('strong', {}, [c.name])]
          if (c.demo) parts.push(' ', M.element('strong', { class: 'app-demo-label' }, ['Demo']))
          if (c.job_title) parts.push(M.element('br'), c.job_title)
          if (c.email) parts.push(M.element('br'), M.link('mailto:' + c.email, c.email))
          if (c.phone) parts.push(M.element('br'), c.phone)
          list.appendChild(M.element('li', {}, parts))
        })
        if (!data.contacts.length) list.appendChild(M.element('li', {}, ['No contacts recorded.']))
        button.replaceWith(list)
      })
  }

  function popup (arrangement) {
    var councils = M.element('span')
    arrangement.members.forEach(function (m, index) {
      if (index) councils.appendChild(document.createTextNode(', '))
      councils.appendChild(m.url ? M.link(m.url, m.name) : document.createTextNode(m.name))
    })
    var body = [
      M.element('h3', { class: 'govuk-heading-s app-popup__title' }, [arrangement.name]),
      line('Councils', councils),
      line('Type of work', arrangement.service_names.join(', ')),
      line('Status', (STATUS_LABELS[arrangement.status] || arrangement.status) +
        (arrangement.start_year ? ' (since ' + arrangement.start_year + ')' : '')),
      line('Savings achieved', arrangement.savings_achieved || 'No figure'),
      line('Savings expected', arrangement.savings_expected || 'No figure')
    ]
    if (arrangement.other_partners) body.push(line('Other partners', arrangement.other_partners))
    if (arrangement.source_url) body.push(M.element('p', { class: 'govuk-body-s' }, [M.link(arrangement.source_url, 'Source')]))
    var holder = M.element('div', { class: 'app-popup' }, body)
    if (arrangement.contacts_url) {
      var button = M.element('button', { type: 'button', class: 'govuk-button govuk-button--secondary govuk-!-margin-bottom-0' }, ['Show contacts'])
      button.addEventListener('click', function () { showContacts(arrangement, holder, button) })
      holder.appendChild(button)
    }
    return holder
  }

  // Each shape builds its popup once, on first opening: Leaflet may render a popup's content
  // again while it opens (panning it into view), which must not replace a button being clicked
  // or contacts already shown.
  function lazyPopup (arrangement) {
    var made = null
    return function () { return made || (made = popup(arrangement)) }
  }

  function draw (arrangement, layer, index) {
    var places = arrangement.members.filter(function (m) { return m.lat !== null && m.lon !== null })
    var css = 'app-layer app-layer--' + index + ' app-layer--' + arrangement.status
    if (places.length > 1) {
      var hub = places[0]
      places.slice(1).forEach(function (p) {
        window.L.polyline([[hub.lat, hub.lon], [p.lat, p.lon]], { className: css + ' app-layer__line', weight: 3 })
          .bindPopup(lazyPopup(arrangement)).addTo(layer)
      })
    }
    places.forEach(function (p) {
      window.L.circleMarker([p.lat, p.lon], { radius: 5, className: css + ' app-layer__point' })
        .bindTooltip(M.label(p.name + ': ' + arrangement.name))
        .bindPopup(lazyPopup(arrangement)).addTo(layer)
    })
  }

  var map = M.createMap(container, { boundariesOnCanvas: true })
  fetch(container.getAttribute('data-source'), { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
    .then(function (response) { return response.json() })
    .then(function (data) {
      var layers = {}
      var slugs = data.services.map(function (service) { return service.slug })
      data.services.forEach(function (service, i) {
        layers[service.slug] = { group: window.L.featureGroup(), index: i + 1, count: 0 }
      })
      function drawLayer (slug) {
        var layer = layers[slug]
        data.arrangements.forEach(function (arrangement) {
          if (arrangement.services.indexOf(slug) !== -1) { draw(arrangement, layer.group, layer.index); layer.count++ }
        })
        var box = document.querySelector('input[data-layer="' + slug + '"]')
        if (box && box.checked) layer.group.addTo(map)
      }
      function refresh () {
        var shown = 0
        document.querySelectorAll('input[data-layer]').forEach(function (box) {
          var layer = layers[box.getAttribute('data-layer')]
          if (!layer) return
          if (box.checked) { layer.group.addTo(map); shown++ } else { map.removeLayer(layer.group) }
        })
        container.setAttribute('data-layers-shown', String(shown))
        if (status) status.textContent = shown + ' of ' + data.services.length + ' service layers shown on the map.'
      }
      // The services' layers are built and shown a few at a time, then kept in step with the boxes.
      M.inSlices(slugs, drawLayer, function () {
        document.querySelectorAll('input[data-layer]').forEach(function (box) {
          box.addEventListener('change', refresh)
        })
        refresh()
        container.setAttribute('data-ready', 'true')
      })
    })
})()
