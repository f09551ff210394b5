def test_the_selected_fixture_is_a_challenge_with_its_solution_selected(selected):
    assert selected.challenge.status == "solution_selected"
    assert selected.selection.application == selected.application
    assert selected.application.organisation == selected.supplier
    assert selected.entity.memberships.filter(user=selected.entity_user, role="admin").exists()
