"""The change feed: replaying it from the start rebuilds the current public data."""

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from matchmaker.api.changes import decode_cursor
from matchmaker.db import AuditEvent, Contact, Organisation, arrangement_state
from matchmaker.db.repositories.versions import record_version
from matchmaker.flask_database import get_database
from matchmaker.ingest.arrangements_csv import csv_kind
from matchmaker.ingest.export import arrangement_row, arrangements_for_export, format_amount
from matchmaker.ingest.savings_periods import FIELDS as PERIOD_FIELDS
from matchmaker.services import history, reorganise
from tests.support.keys import bearer
from tests.support.refresh import NEW, approve, arrangement, rename_r004_via_csv, submit
from tests.support.workflow import create_request, officer


def read_feed(client, headers=None, limit=50, after=None):
    """Every change after ``after``, page by page as a consumer would; and the last cursor."""
    items, cursor = [], after
    while True:
        query = f"limit={limit}" + (f"&after={cursor}" if cursor else "")
        body = client.get(f"/api/v1/changes?{query}", headers=headers or {}).get_json()
        items += body["items"]
        if not body["items"]:
            return items, body["next_cursor"]
        cursor = body["next_cursor"]


def replay(items):
    """What a consumer keeps: the last state of each resource."""
    state = {}
    for item in items:
        state[(item["resource"], item["id"])] = item["data"]
    return state


def export_columns(snapshot):
    """The export's columns, as a consumer would write them from a replayed arrangement."""
    headline = snapshot["savings"][0] if snapshot["savings"] else None
    fields = snapshot["fields"]
    return {
        "arrangement_id": snapshot["public_id"],
        "name": fields["name"],
        "council_codes": ";".join(m["code"] for m in snapshot["members"]),
        "council_names": ";".join(m["name"] for m in snapshot["members"]),
        "service_areas": ";".join(snapshot["services"]),
        "start_year": "" if fields["start_year"] is None else str(fields["start_year"]),
        "end_year": "" if fields["end_year"] is None else str(fields["end_year"]),
        "status": fields["status"],
        "savings_gbp": format_amount(headline["amount_gbp"]) if headline else "",
        "savings_kind": csv_kind(headline["kind"], headline["period"]) if headline else "",
        "other_partners": fields["other_partners"] or "",
        "source_url": fields["source_url"] or "",
        "evidence": fields["evidence"] or "",
        **{column: _cell((headline or {}).get(attribute)) for _, column, attribute in PERIOD_FIELDS},
    }


def _cell(value):
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)


def make_every_kind_of_change(app, tmp_path):
    rename_r004_via_csv(app, tmp_path, "Adur and Worthing (renamed)")
    with get_database(app).transaction() as session:
        history.restore(session, arrangement(session, "R004"), 1, "user:3")
    sid, _ = submit(app, officer, "new_arrangement", dict(NEW))
    approve(app, sid)
    with get_database(app).transaction() as session:
        reorganise.apply_plan(session, "user:3")


def test_replaying_the_feed_rebuilds_the_fresh_export(app, client, tmp_path):
    make_every_kind_of_change(app, tmp_path)
    items, _ = read_feed(client)
    state = replay(items)
    with get_database(app).session() as session:
        held = arrangements_for_export(session)
        export = {row["arrangement_id"]: row for row in map(arrangement_row, held)}
        snapshots = {a.public_id: arrangement_state.take(a) for a in held}
        successions = {
            o.gss_code: sorted(s.gss_code for s in o.successors)
            for o in session.scalars(select(Organisation))
            if o.successors
        }
    replayed = {key[1]: data for key, data in state.items() if key[0] == "arrangement"}
    assert {k: export_columns(v) for k, v in replayed.items()} == export
    assert replayed == snapshots
    assert {k[1]: v["successors"] for k, v in state.items() if k[0] == "organisation"} == successions
    actions = {(i["id"], i["action"]) for i in items}
    assert {
        ("R004", "created"),
        ("R004", "changed"),
        ("R004", "restored"),
        ("S00001", "created"),
        ("R072", "reorganised"),
    } <= actions


def test_versions_links_and_cursors(app, client, tmp_path):
    first, cursor = read_feed(client)
    assert len([i for i in first if i["resource"] == "arrangement"]) == 161
    assert all(i["version"] == 1 and i["action"] == "created" for i in first if i["resource"] == "arrangement")
    rename_r004_via_csv(app, tmp_path, "Renamed")
    later, _ = read_feed(client, after=cursor)
    assert [(i["id"], i["action"], i["version"], i["href"]) for i in later] == [
        ("R004", "changed", 2, "/api/v1/arrangements/R004")
    ]
    assert later[0]["data"]["fields"]["name"] == "Renamed"
    # The same cursor gives the same page again: cursors are stable.
    again, _ = read_feed(client, after=cursor)
    assert again == later


def test_an_ended_arrangement_is_recorded_as_ended(app, client):
    with get_database(app).transaction() as session:
        r004 = arrangement(session, "R004")
        r004.status, r004.end_year = "ended", 2025
        record_version(session, r004, "user:3", "Ended")
    items, _ = read_feed(client)
    assert (items[-1]["id"], items[-1]["action"], items[-1]["version"]) == ("R004", "ended", 2)


def test_a_cursor_that_was_not_given_is_refused_by_name(client):
    response = client.get("/api/v1/changes?after=not-a-cursor")
    assert response.status_code == 422
    assert response.get_json()["invalid_params"][0]["name"] == "after"


def test_match_requests_appear_only_to_advisers(app, client, make_key):
    create_request(app)
    public, _ = read_feed(client)
    assert not [i for i in public if i["resource"] == "match_request"]
    adviser_items, _ = read_feed(client, headers=bearer(make_key("adviser")))
    assert [(i["resource"], i["action"]) for i in adviser_items[-1:]] == [("match_request", "created")]


def test_updated_since_lists_only_what_changed(app, client, tmp_path):
    since = datetime.now(timezone.utc) - timedelta(seconds=1)
    rename_r004_via_csv(app, tmp_path, "Renamed")
    stamp = since.isoformat().replace("+00:00", "Z")
    body = client.get(f"/api/v1/arrangements?updated_since={stamp}").get_json()
    assert [a["arrangement_id"] for a in body["items"]] == ["R004"]
    assert body["total"] == 1
    future = (datetime.now(timezone.utc) + timedelta(days=1)).isoformat().replace("+00:00", "Z")
    assert client.get(f"/api/v1/arrangements?updated_since={future}").get_json()["total"] == 0
    assert client.get(f"/api/v1/organisations?updated_since={future}").get_json()["total"] == 0
    response = client.get("/api/v1/arrangements?updated_since=yesterday")
    assert response.status_code == 422
    assert response.get_json()["invalid_params"][0]["name"] == "updated_since"


def test_training_the_active_model_is_a_change_with_its_data_version(app, client, runner, tmp_path):
    app.config["MODEL_PATH"] = str(tmp_path / "model.json")
    _, cursor = read_feed(client)
    data_version = decode_cursor(cursor)  # the bundled data is the only change so far
    result = runner.invoke(["train", "--no-evaluate"])
    assert result.exit_code == 0, result.output
    items, _ = read_feed(client, after=cursor)
    assert [(i["resource"], i["action"], i["href"]) for i in items] == [("model", "retrained", "/api/v1/model")]
    assert items[0]["data"]["data_version"] == data_version
    card = client.get("/api/v1/model").get_json()
    assert card["training"]["data_version"] == data_version


def test_a_cursor_past_every_possible_id_is_the_end_of_the_feed(client):
    """Found by Schemathesis on PostgreSQL: a well-formed cursor beyond the integer column's
    range reached the database and answered 500."""
    response = client.get("/api/v1/changes?after=zzzzzzzzzzzz")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["items"] == []


def contact_changes(items):
    return [(i["action"], i["data"]) for i in items if i["resource"] == "contact"]


def test_contact_changes_appear_only_to_keys_with_the_contacts_scope(app, client, make_key):
    with_scope, without_scope = bearer(make_key("contacts:read")), bearer(make_key("public:read", "adviser"))
    _, start = read_feed(client, headers=with_scope, limit=1000)
    with get_database(app).transaction() as session:
        council = session.scalar(select(Organisation).where(Organisation.gss_code == "E07000223"))
        contact = Contact(organisation=council, role="officer", name="Ada Example", email="ada@adur.example")
        session.add(contact)
    with get_database(app).transaction() as session:
        session.get(Contact, contact.id).job_title = "Head of shared services"
    with get_database(app).transaction() as session:
        session.delete(session.get(Contact, contact.id))

    seen, _ = read_feed(client, headers=with_scope, after=start)
    assert [(i["id"], i["action"], i["href"]) for i in seen] == [
        (str(contact.id), action, "/api/v1/organisations/E07000223/contacts")
        for action in ("created", "changed", "removed")
    ]
    created, changed, removed = (i["data"] for i in seen)
    assert (created["name"], created["email"], created["job_title"]) == ("Ada Example", "ada@adur.example", None)
    assert (changed["organisation"], changed["job_title"]) == ("E07000223", "Head of shared services")
    assert removed == {"organisation": "E07000223", "arrangement": None}  # its details are not repeated

    assert not contact_changes(read_feed(client, headers=without_scope, after=start)[0])
    assert not contact_changes(read_feed(client, after=start)[0])
    with get_database(app).session() as session:
        reads = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "contacts.read", AuditEvent.object_type == "changes")
        ).all()
        assert reads[-1].detail["changes"] == [decode_cursor(i["cursor"]) for i in seen]
        assert reads[-1].actor.startswith("key:")


def test_demo_contacts_are_in_the_feed_for_the_contacts_scope(client, make_key):
    items, _ = read_feed(client, headers=bearer(make_key("contacts:read")), limit=1000)
    created = [data for action, data in contact_changes(items) if action == "created"]
    assert created and all(data["demo"] for data in created)
    assert any(data["organisation"] for data in created) and any(data["arrangement"] for data in created)
