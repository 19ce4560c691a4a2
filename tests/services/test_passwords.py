"""The password rule and hash: known answers."""

from __future__ import annotations

from matchmaker.services import passwords


def test_short_passwords_are_refused_by_length():
    assert passwords.problem("abc") == "Password must be 10 characters or more"
    assert passwords.problem("a" * 9) == "Password must be 10 characters or more"
    assert passwords.problem("a" * 201) == "Password must be 200 characters or fewer"


def test_common_passwords_are_refused_whatever_their_case():
    assert "1234567890" in passwords.common_passwords()
    assert passwords.problem("1234567890").startswith("Password is too common")
    assert passwords.problem("QwertyUiop").startswith("Password is too common")


def test_the_list_holds_only_passwords_that_length_alone_would_not_refuse():
    assert all(len(word) >= passwords.MINIMUM_LENGTH for word in passwords.common_passwords())
    assert len(passwords.common_passwords()) > 1000


def test_the_email_address_is_not_a_password():
    assert passwords.problem("Someone@Example.org", "someone@example.org") == (
        "Password must not be your email address"
    )


def test_a_good_password_passes_and_is_stored_as_a_slow_hash():
    assert passwords.problem("harbour lantern pebble") is None
    stored = passwords.hash_password("harbour lantern pebble")
    assert stored.startswith("scrypt:") and "harbour" not in stored
    assert passwords.matches(stored, "harbour lantern pebble")
    assert not passwords.matches(stored, "harbour lantern pebbles")


def test_an_unset_or_unreadable_hash_matches_nothing():
    assert not passwords.matches(passwords.UNSET, "")
    assert not passwords.matches(passwords.UNSET, passwords.UNSET)
    assert not passwords.matches(None, "anything at all")
    assert not passwords.matches("not a hash", "not a hash")
