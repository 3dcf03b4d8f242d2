"""XML from strangers is data: no entity bombs, no external entities, capped, located errors."""

from __future__ import annotations

import pytest

from quiz.interop import ImportProblem, report
from quiz.interop.moodle_read import import_moodle_xml

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<quiz><question type="truefalse"><name><text>&lol9;</text></name></question></quiz>
"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<quiz><question type="truefalse"><name><text>&secret;</text></name>
<questiontext><text>&secret;</text></questiontext></question></quiz>
"""

PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [ <!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote; ]>
<quiz/>
"""


@pytest.mark.parametrize(
    "data", [BILLION_LAUGHS, XXE, PARAMETER_ENTITY], ids=["bomb", "xxe", "dtd"]
)
def test_dtds_and_entities_are_refused(data: bytes) -> None:
    with pytest.raises(ImportProblem) as caught:
        import_moodle_xml(data, "evil.xml")
    assert caught.value.code == "xml-forbidden"
    assert "root:" not in caught.value.format()


def test_malformed_xml_is_one_located_diagnostic() -> None:
    data = (
        b'<?xml version="1.0"?>\n<quiz>\n  <question type="truefalse">\n'
        b"    <name><text>x</name>\n</quiz>\n"
    )
    with pytest.raises(ImportProblem) as caught:
        import_moodle_xml(data, "broken.xml")
    problem = caught.value
    assert (problem.code, problem.line) == ("xml-syntax", 4)
    assert problem.format().startswith("broken.xml:4:")


def test_not_utf8_and_not_xml_are_diagnostics() -> None:
    for data in (b"\xff\xfe\x00garbage", b"", b"just text"):
        with pytest.raises(ImportProblem):
            import_moodle_xml(data, "odd.xml")


def test_an_unknown_declared_encoding_is_a_diagnostic() -> None:
    data = b'<?xml version="1.0" encoding="falseUTF-8"?><quiz></quiz>'
    with pytest.raises(ImportProblem) as caught:
        import_moodle_xml(data, "odd.xml")
    assert caught.value.code == "xml-encoding"
    assert "falseUTF-8" in caught.value.format()


def test_another_root_element_is_refused() -> None:
    with pytest.raises(ImportProblem) as caught:
        import_moodle_xml(b"<html><body/></html>", "page.xml")
    assert caught.value.code == "not-moodle-xml"


def test_the_size_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report, "MAX_IMPORT_BYTES", 100)
    with pytest.raises(ImportProblem) as caught:
        import_moodle_xml(b"<quiz>" + b" " * 200 + b"</quiz>", "big.xml")
    assert caught.value.code == "file-too-large"


def test_controls_in_names_reach_warnings_as_escapes() -> None:
    data = (
        '<quiz><question type="essay"><name><text>evil\u001b]0;owned\u0007\u202e</text></name>'
        "</question></quiz>"
    ).encode()
    # XML 1.0 forbids most C0 controls outright; the ones it allows must still be made inert.
    with pytest.raises(ImportProblem):
        import_moodle_xml(data, "c0.xml")
    data = (
        '<quiz><question type="essay"><name><text>evil\u009b31m\u202e</text></name>'
        "</question></quiz>"
    ).encode()
    result = import_moodle_xml(data, "c1.xml")
    (warning,) = [w for w in result.warnings if w.code == "skipped-type"]
    shown = warning.format()
    assert "\u009b" not in shown and "\u202e" not in shown
    assert "\\x9b" in shown and "\\u202e" in shown
