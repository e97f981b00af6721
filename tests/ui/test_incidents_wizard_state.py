"""Issue 19 in the wizard: the PHI step asks whether the use or disclosure was one the Privacy
Rule permits (a permitted one ends HIPAA's analysis: not a breach), the secured step asks whether
the encryption protected the data at the time, and after a determination that HIPAA requires no
notice the plan shows the state rows on their own, saying so."""

from __future__ import annotations

from incident_pilot import (
    FACTOR_IDS,
    NO_EXCEPTION,
    at_step,
    fill,
    incidents_service,
    open_wizard,
    panel_text,
    plain_text,
    save,
    screen,
)


async def test_a_permitted_disclosure_ends_the_path_as_not_a_breach(make_app, db):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_wizard(pilot)
        fill(app, title="Name overheard at the front desk", discovered_on="2026-11-20")
        await save(pilot)
        await at_step(pilot, "phi")
        assert "not permitted under subpart E" in panel_text(app)  # the question, with guidance
        fill(app, phi_involved=True, phi_types=["name"], use_permitted=True)
        await save(pilot)
        assert screen(app).panel.problem_text("permitted_basis").startswith(
            "Say which permission applies")
        fill(app, permitted_basis="Incidental to a permitted use, reasonable safeguards in "
                                  "place (164.502(a)(1)(iii)).")
        await save(pilot)
        await at_step(pilot, "closeout")
        assert "Not a breach: a permitted or incidental use or disclosure" in panel_text(app)
        steps_list = app.screen.query_one("#steps")
        for step in ("secured", "exceptions", "factors", "scope", "plan"):
            assert str(steps_list.get_option(step).prompt).startswith("–"), step
    record = incidents_service(db).get("INC-2026-001")
    assert record["determination"] == "not_a_breach_permitted"
    assert record["use_permitted"] is True
    assert record["determination_rationale"].startswith("Incidental to a permitted use")


async def test_encryption_not_in_force_at_the_time_is_not_the_safe_harbor(make_app, db):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_wizard(pilot)
        fill(app, title="Ransomware on the office PC", discovered_on="2026-11-20")
        await save(pilot)
        await at_step(pilot, "phi")
        fill(app, phi_involved=True, phi_types=["treatment_notes"], use_permitted=False)
        await save(pilot)
        await at_step(pilot, "secured")
        assert "ransomware" in panel_text(app).lower()
        fill(app, secured_by="encryption", secured_basis="BitLocker", key_compromised=False)
        await save(pilot)
        assert "moment of the incident" in screen(app).panel.problem_text("encryption_in_force")
        fill(app, encryption_in_force=False)
        await save(pilot)
        await at_step(pilot, "exceptions")  # not the safe harbor: the exceptions are asked
    record = incidents_service(db).get("INC-2026-001")
    assert record["encryption_in_force"] is False
    assert record["presumption"]["outcome"] == "presumed_breach"


async def test_after_a_low_probability_finding_the_plan_shows_the_state_rows_only(make_app, db):
    svc = incidents_service(db)
    r = svc.create({"title": "Letter to the wrong address", "discovered_on": "2026-11-02"})
    ref = r["reference"]
    r = svc.save_phi(ref, {"phi_involved": True, "phi_types": ["name", "diagnosis"],
                           "use_permitted": False},
                     r["revision"])
    r = svc.save_secured(ref, {"secured_by": "none"}, r["revision"])
    r = svc.save_exceptions(ref, {"exceptions": NO_EXCEPTION}, r["revision"])
    r = svc.save_factors(ref, {"factors": {k: {"rating": "low", "notes": "low"}
                                           for k in FACTOR_IDS}}, r["revision"])
    svc.save_determination(ref, {"choice": "low_probability",
                                 "rationale": "Returned unopened and destroyed."}, r["revision"])
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_wizard(pilot, ref)
        await at_step(pilot, "closeout")
        assert "a state law still may" in panel_text(app)
        steps_list = app.screen.query_one("#steps")
        scope = str(steps_list.get_option("scope").prompt)
        assert not scope.startswith(("✓", "–")) and not steps_list.get_option("scope").disabled
        screen(app).show_step("scope")
        await at_step(pilot, "scope")
        fill(app, affected="3", residents="CO=3", part2_affected="1")
        await save(pilot)
        await at_step(pilot, "plan")  # where the state rows are
        text = panel_text(app)
        assert text.index("HIPAA requires no notice") < text.index("Obligation")
        assert "separate analysis" in text
        assert "Colorado" in text and "2026-12-02" in text  # C.R.S. 6-1-716(2): 30 days
        assert "164.404(b)" not in text and "2027-03-01" not in text  # no federal notice
    record = incidents_service(db).get(ref)
    assert record["part2_affected"] == 1
    assert record["next_deadline"]["obligation"] == "state:CO"


async def test_the_scope_recorded_before_the_determination_shows_the_earliest_clock(make_app, db):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_wizard(pilot)
        fill(app, title="Laptop stolen", discovered_on="2026-11-02")
        await save(pilot)
        await at_step(pilot, "phi")
        fill(app, phi_involved=True, phi_types=["name", "diagnosis"], use_permitted=False)
        await save(pilot)
        await at_step(pilot, "secured")
        steps_list = app.screen.query_one("#steps")
        assert not steps_list.get_option("scope").disabled  # reachable before the decision
        assert steps_list.get_option("plan").disabled
        screen(app).show_step("scope")
        await at_step(pilot, "scope")
        fill(app, affected="3", residents="CO=3")
        await save(pilot)
        await at_step(pilot, "secured")  # back where the path stands: nothing was skipped
        head = plain_text(app.screen.query_one("#incident-head"))
        assert "2026-12-02" in head and "if it is a breach" in head  # CO's 30 days, not day 60
    record = incidents_service(db).get("INC-2026-001")
    assert (record["step"], record["determination"]) == ("secured", None)
    assert record["next_deadline"]["obligation"] == "state:CO"
