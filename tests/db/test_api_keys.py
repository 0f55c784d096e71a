import pytest
from sqlalchemy.orm import Session

from db.api_keys import KeyNameTaken, create_api_key, find_api_key


def test_a_taken_key_name_is_refused_and_the_first_key_still_works(session: Session) -> None:
    secret = create_api_key(session, "curator-anna", "write")
    with pytest.raises(KeyNameTaken, match="curator-anna"):
        create_api_key(session, "curator-anna", "admin")
    key = find_api_key(session, secret)
    assert key is not None and key.scope == "write"
