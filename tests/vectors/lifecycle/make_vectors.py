#!/usr/bin/env python3
"""Writes the lifecycle vectors in this directory.

Every file is {"kind", "description", "cases": [{"name", "input", "expected"}]}. The expected
values below are literals worked out from the rules (nic-rules B.8, B.9, C.2-C.8, seed 003), not
recomputed by a second implementation; this script only saves writing the JSON by hand, and builds
the inputs that are tedious to type (the IRN, a signed-invoice JWS).

Kinds:
  validity       the e-way bill validity predictor
  einvoice       e-invoice guards (generate / poll / cancel)
  ewaybill       e-way bill guards (update_part_b / update_transporter / extend / cancel / reject)
  dupirn         reading DUPIRN replies of both shapes, and adopting or refusing a duplicate
  ewb_duplicate  the fetch-and-adopt outcome of e-way bill codes 604 and 4002
  error_envelope the API error envelope: HTTP status + Retry-After + body -> error, and back
                 (input.body is the JSON body, or a string for a body that is not JSON; expected
                 lists every accessor; envelope, when given, is what the error writes back)
  nic_code       NIC code classes

Timestamps are RFC 3339; the expected ones are written in IST (+05:30). A refusal is
{"allowed": false, "code", "nicCode"}; nicCode is null where NIC has no code for it.

Run: python3 tests/vectors/lifecycle/make_vectors.py          (rewrites the *.json files)
     python3 tests/vectors/lifecycle/make_vectors.py --check  (fails if a file is out of date)
"""
import base64
import copy
import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def case(name, input, expected):
    return {"name": name, "input": input, "expected": expected}


def refused(code, nic):
    return {"allowed": False, "code": code, "nicCode": nic}


# ----------------------------------------------------------------------------------------------
# validity

def predict(name, frm, km, expected, cargo=None, pin=None):
    inp = {"op": "predict", "from": frm, "distanceKm": km}
    if cargo:
        inp["cargo"] = cargo
    if pin is not None:
        inp["pinToPinKm"] = pin
    return case(name, inp, expected)


def extension(name, frm, km, expected, cargo=None):
    inp = {"op": "predict_extension", "from": frm, "remainingKm": km}
    if cargo:
        inp["cargo"] = cargo
    return case(name, inp, expected)


def ok(days, until, km):
    return {"days": days, "validUpto": until, "distanceKm": km}


VALIDITY = [
    predict("recorded: 05/10/2022 12:39 PM, 10 km -> 06/10/2022 11:59:00 PM",
            "2022-10-05T12:39:00+05:30", 10, ok(1, "2022-10-06T23:59:00+05:30", 10)),
    predict("recorded: EWB via IRN 2022-09-16 19:29, 2467 km (13 days) -> 2022-09-29 23:59:00",
            "2022-09-16T19:29:00+05:30", 2467, ok(13, "2022-09-29T23:59:00+05:30", 2467)),
    extension("recorded: extension 04/07/2023 06:13 PM, 5 km remaining -> 05/07/2023 11:59:00 PM",
              "2023-07-04T18:13:00+05:30", 5, ok(1, "2023-07-05T23:59:00+05:30", 5)),
    predict("200 km is still one day", "2025-01-01T10:00:00+05:30", 200,
            ok(1, "2025-01-02T23:59:00+05:30", 200)),
    predict("201 km starts a second day", "2025-01-01T10:00:00+05:30", 201,
            ok(2, "2025-01-03T23:59:00+05:30", 201)),
    predict("3999 km normal: 20 days", "2025-01-01T10:00:00+05:30", 3999,
            ok(20, "2025-01-21T23:59:00+05:30", 3999)),
    predict("4000 km normal (the maximum): 20 days", "2025-01-01T10:00:00+05:30", 4000,
            ok(20, "2025-01-21T23:59:00+05:30", 4000)),
    predict("4001 km is more than NIC accepts", "2025-01-01T10:00:00+05:30", 4001,
            {"error": "validity.distance_out_of_range", "nicCode": None}),
    predict("3999 km over-dimensional: 200 days", "2025-01-01T10:00:00+05:30", 3999,
            ok(200, "2025-07-20T23:59:00+05:30", 3999), cargo="over_dimensional"),
    predict("4000 km over-dimensional: 200 days", "2025-01-01T10:00:00+05:30", 4000,
            ok(200, "2025-07-20T23:59:00+05:30", 4000), cargo="over_dimensional"),
    predict("20 km over-dimensional: 1 day", "2025-01-01T10:00:00+05:30", 20,
            ok(1, "2025-01-02T23:59:00+05:30", 20), cargo="over_dimensional"),
    predict("21 km with a ship leg: 2 days", "2025-01-01T10:00:00+05:30", 21,
            ok(2, "2025-01-03T23:59:00+05:30", 21), cargo="ship_leg"),
    predict("distance 0 uses NIC's PIN-to-PIN distance", "2022-09-16T19:29:00+05:30", 0,
            ok(13, "2022-09-29T23:59:00+05:30", 2467), pin=2467),
    predict("distance 0 without the PIN-to-PIN distance cannot be predicted",
            "2022-09-16T19:29:00+05:30", 0,
            {"error": "validity.need_pin_to_pin_distance", "nicCode": None}),
    predict("generated a few seconds before midnight IST still counts that date",
            "2022-10-05T23:59:30+05:30", 10, ok(1, "2022-10-06T23:59:00+05:30", 10)),
    predict("a UTC instant counts from its IST date (20:00Z is 01:30 IST next day)",
            "2022-10-05T20:00:00Z", 10, ok(1, "2022-10-07T23:59:00+05:30", 10)),
    extension("an extension with no remaining distance is refused (389)",
              "2023-07-04T18:13:00+05:30", 0,
              {"error": "validity.remaining_distance_required", "nicCode": "389"}),
    extension("an over-dimensional extension counts 20 km a day",
              "2023-07-04T18:13:00+05:30", 50, ok(3, "2023-07-07T23:59:00+05:30", 50),
              cargo="over_dimensional"),
]

# ----------------------------------------------------------------------------------------------
# e-invoice guards

ACK = "2026-05-14T17:12:18+05:30"
GENERATED = {"status": "generated", "ackDate": ACK}


def einv(name, record, action, now, expected):
    return case(name, {"record": record, "action": {"action": action}, "now": now}, expected)


def with_ewb(status):
    r = dict(GENERATED)
    r["eWayBill"] = {"ewbNo": 391001234567, "status": status}
    return r


CANCELLED_AT = dict(GENERATED, status="cancelled", cancelledAt="2026-05-15T17:12:17+05:30")
EINVOICE = [
    einv("cancel at ackDate + 23:59:59 is allowed", GENERATED, "cancel",
         "2026-05-15T17:12:17+05:30",
         {"allowed": True, "decision": "cancel", "record": CANCELLED_AT}),
    einv("cancel at ackDate + 24:00:00 is refused (2270)", GENERATED, "cancel",
         "2026-05-15T17:12:18+05:30", refused("einvoice.cancel_window_closed", "2270")),
    einv("cancel the second after the window is refused (2270)", GENERATED, "cancel",
         "2026-05-15T17:12:19+05:30", refused("einvoice.cancel_window_closed", "2270")),
    einv("cancel one second after acknowledgement is allowed", GENERATED, "cancel",
         "2026-05-14T17:12:19+05:30",
         {"allowed": True, "decision": "cancel",
          "record": dict(GENERATED, status="cancelled", cancelledAt="2026-05-14T17:12:19+05:30")}),
    einv("cancel with an active e-way bill is refused (2230)", with_ewb("active"), "cancel",
         "2026-05-14T18:00:00+05:30", refused("einvoice.eway_bill_exists", "2230")),
    einv("cancel with an extended e-way bill is refused (2230)", with_ewb("extended"), "cancel",
         "2026-05-14T18:00:00+05:30", refused("einvoice.eway_bill_exists", "2230")),
    einv("cancel with a Part-A-only e-way bill is refused (2230)", with_ewb("part_a_only"),
         "cancel", "2026-05-14T18:00:00+05:30", refused("einvoice.eway_bill_exists", "2230")),
    einv("cancel with an expired e-way bill is refused: it still exists (2230)",
         with_ewb("expired"), "cancel", "2026-05-14T18:00:00+05:30",
         refused("einvoice.eway_bill_exists", "2230")),
    einv("cancel after the e-way bill was cancelled is allowed", with_ewb("cancelled"), "cancel",
         "2026-05-14T18:00:00+05:30",
         {"allowed": True, "decision": "cancel",
          "record": dict(with_ewb("cancelled"), status="cancelled",
                         cancelledAt="2026-05-14T18:00:00+05:30")}),
    einv("cancel after the e-way bill was rejected is allowed", with_ewb("rejected"), "cancel",
         "2026-05-14T18:00:00+05:30",
         {"allowed": True, "decision": "cancel",
          "record": dict(with_ewb("rejected"), status="cancelled",
                         cancelledAt="2026-05-14T18:00:00+05:30")}),
    einv("a closed window is reported before the e-way bill: it cannot be reopened",
         with_ewb("active"), "cancel", "2026-05-15T17:12:18+05:30",
         refused("einvoice.cancel_window_closed", "2270")),
    einv("cancel an IRN already cancelled: NIC says 9999", CANCELLED_AT, "cancel",
         "2026-05-14T18:00:00+05:30", refused("einvoice.cancel_not_generated", "9999")),
    einv("cancel while queued: nothing to cancel yet", {"status": "queued"}, "cancel",
         "2026-05-14T18:00:00+05:30", refused("einvoice.cancel_not_generated", None)),
    einv("cancel while failed: nothing was registered", {"status": "failed"}, "cancel",
         "2026-05-14T18:00:00+05:30", refused("einvoice.cancel_not_generated", None)),
    einv("cancel a generated record without ackDate: fetch it first", {"status": "generated"},
         "cancel", "2026-05-14T18:00:00+05:30", refused("einvoice.ack_date_unknown", None)),
    einv("cancel with no record", None, "cancel", "2026-05-14T18:00:00+05:30",
         refused("einvoice.no_record", None)),
    einv("poll while queued", {"status": "queued"}, "poll", "2026-05-14T18:00:00+05:30",
         {"allowed": True, "decision": "poll"}),
    einv("poll while failed_retriable", {"status": "failed_retriable"}, "poll",
         "2026-05-14T18:00:00+05:30", {"allowed": True, "decision": "poll"}),
    einv("poll a generated invoice is refused", GENERATED, "poll", "2026-05-14T18:00:00+05:30",
         refused("einvoice.not_pending", None)),
    einv("poll a failed invoice is refused", {"status": "failed"}, "poll",
         "2026-05-14T18:00:00+05:30", refused("einvoice.not_pending", None)),
    einv("poll a cancelled invoice is refused", CANCELLED_AT, "poll", "2026-05-14T18:00:00+05:30",
         refused("einvoice.not_pending", None)),
    einv("poll with no record", None, "poll", "2026-05-14T18:00:00+05:30",
         refused("einvoice.no_record", None)),
    einv("generate a new document number", None, "generate", "2026-05-14T18:00:00+05:30",
         {"allowed": True, "decision": "submit"}),
    einv("generate again after NIC refused the data", {"status": "failed"}, "generate",
         "2026-05-14T18:00:00+05:30", {"allowed": True, "decision": "submit"}),
    einv("generate a generated number replays the duplicate (DUPIRN)", GENERATED, "generate",
         "2026-05-14T18:00:00+05:30", {"allowed": True, "decision": "replay_duplicate"}),
    einv("generate while queued: poll instead", {"status": "queued"}, "generate",
         "2026-05-14T18:00:00+05:30", refused("einvoice.generate_in_progress", None)),
    einv("generate while failed_retriable: poll instead", {"status": "failed_retriable"},
         "generate", "2026-05-14T18:00:00+05:30",
         refused("einvoice.generate_in_progress", None)),
    einv("a cancelled document number never gets a new IRN", CANCELLED_AT, "generate",
         "2026-05-20T10:00:00+05:30", refused("einvoice.document_number_cancelled", "2278")),
]

# ----------------------------------------------------------------------------------------------
# e-way bill guards

GEN = "2025-01-01T10:00:00+05:30"
T = "29AAACT1234E1ZX"
T2 = "27AAACN5678F1ZY"
ACTIVE = {"status": "active", "generatedAt": GEN, "validUpto": "2025-01-02T23:59:00+05:30",
          "distanceKm": 150, "cargo": "normal", "transporterEnteredPartB": False}
LONG = dict(ACTIVE, validUpto="2025-01-06T23:59:00+05:30", distanceKm=1000)
WITH_T = dict(ACTIVE, transporterId=T)
T_ENTERED = dict(ACTIVE, transporterId=T, transporterEnteredPartB=True)
PART_A = {"status": "part_a_only", "generatedAt": GEN, "distanceKm": 450, "cargo": "normal",
          "transporterId": T, "transporterEnteredPartB": False}
CANCELLED = dict(ACTIVE, status="cancelled")
REJECTED = dict(LONG, status="rejected")
NEAR_LIMIT = dict(ACTIVE, status="extended", validUpto="2025-12-26T23:59:00+05:30",
                  distanceKm=1000)
AT_LIMIT = dict(NEAR_LIMIT, validUpto="2025-12-27T23:59:00+05:30")
RECORDED_EXT = {"status": "active", "generatedAt": "2023-07-03T11:00:00+05:30",
                "validUpto": "2023-07-04T23:59:00+05:30", "distanceKm": 120, "cargo": "normal",
                "transporterEnteredPartB": False}


def ewb(name, record, action, now, expected):
    return case(name, {"record": record, "action": action, "now": now}, expected)


def allowed(record):
    return {"allowed": True, "record": record}


def act(action, actor, **kw):
    d = {"action": action, "actor": actor}
    d.update(kw)
    return d


def ext(actor, km, **kw):
    return act("extend", actor, remainingDistanceKm=km, **kw)


EWAYBILL = [
    # cancel (C.7)
    ewb("cancel by the generator at generation + 23:59:59", ACTIVE, act("cancel", "generator"),
        "2025-01-02T09:59:59+05:30", allowed(dict(ACTIVE, status="cancelled"))),
    ewb("cancel by the generator at generation + 24:00:00 is refused (315)", ACTIVE,
        act("cancel", "generator"), "2025-01-02T10:00:00+05:30",
        refused("ewaybill.cancel_window_closed", "315")),
    ewb("cancel by the other party is refused (312)", ACTIVE, act("cancel", "other_party"),
        "2025-01-01T11:00:00+05:30", refused("ewaybill.not_generator", "312")),
    ewb("cancel by the transporter is refused (312)", WITH_T, act("cancel", "transporter"),
        "2025-01-01T11:00:00+05:30", refused("ewaybill.not_generator", "312")),
    ewb("cancel a cancelled bill (312)", CANCELLED, act("cancel", "generator"),
        "2025-01-01T11:00:00+05:30", refused("ewaybill.cancelled", "312")),
    ewb("cancel a Part-A slip within 24 h", PART_A, act("cancel", "generator"),
        "2025-01-01T11:00:00+05:30", allowed(dict(PART_A, status="cancelled"))),
    ewb("cancel a rejected bill: rejected is terminal", REJECTED, act("cancel", "generator"),
        "2025-01-01T11:00:00+05:30", refused("ewaybill.rejected", None)),
    # reject (C.8)
    ewb("reject by the other party at generation + 71:59:59", LONG, act("reject", "other_party"),
        "2025-01-04T09:59:59+05:30", allowed(dict(LONG, status="rejected"))),
    ewb("reject by the other party at generation + 72:00:00 is refused (346)", LONG,
        act("reject", "other_party"), "2025-01-04T10:00:00+05:30",
        refused("ewaybill.reject_window_closed", "346")),
    ewb("reject by the generator is refused (341)", LONG, act("reject", "generator"),
        "2025-01-01T11:00:00+05:30", refused("ewaybill.generator_cannot_reject", "341")),
    ewb("reject by the transporter is refused (342)", dict(LONG, transporterId=T),
        act("reject", "transporter"), "2025-01-01T11:00:00+05:30",
        refused("ewaybill.not_other_party", "342")),
    ewb("reject a cancelled bill is refused (343)", CANCELLED, act("reject", "other_party"),
        "2025-01-01T11:00:00+05:30", refused("ewaybill.cancelled", "343")),
    ewb("reject a Part-A slip is refused (348)", PART_A, act("reject", "other_party"),
        "2025-01-01T11:00:00+05:30", refused("ewaybill.no_part_b", "348")),
    ewb("reject after validity lapsed, inside 72 h, is refused (345)", ACTIVE,
        act("reject", "other_party"), "2025-01-03T00:00:00+05:30",
        refused("ewaybill.validity_lapsed", "345")),
    ewb("reject a rejected bill", REJECTED, act("reject", "other_party"),
        "2025-01-01T11:00:00+05:30", refused("ewaybill.rejected", None)),
    # Part-B (C.4)
    ewb("Part-B by the generator at validUpto exactly", ACTIVE, act("update_part_b", "generator"),
        "2025-01-02T23:59:00+05:30", allowed(ACTIVE)),
    ewb("Part-B one second after validUpto is refused (311)", ACTIVE,
        act("update_part_b", "generator"), "2025-01-02T23:59:01+05:30",
        refused("ewaybill.validity_lapsed", "311")),
    ewb("Part-B by the other party is refused (636)", ACTIVE, act("update_part_b", "other_party"),
        "2025-01-01T11:00:00+05:30", refused("ewaybill.not_assigned_for_part_b", "636")),
    ewb("Part-B by a transporter when none is assigned is refused (636)", ACTIVE,
        act("update_part_b", "transporter"), "2025-01-01T11:00:00+05:30",
        refused("ewaybill.not_assigned_for_part_b", "636")),
    ewb("Part-B by the generator after the transporter entered Part-B is refused (635)",
        T_ENTERED, act("update_part_b", "generator"), "2025-01-01T11:00:00+05:30",
        refused("ewaybill.transporter_entered_part_b", "635")),
    ewb("Part-B by the assigned transporter", WITH_T, act("update_part_b", "transporter"),
        "2025-01-01T11:00:00+05:30", allowed(T_ENTERED)),
    ewb("Part-B on a cancelled bill is refused (312)", CANCELLED,
        act("update_part_b", "generator"), "2025-01-01T11:00:00+05:30",
        refused("ewaybill.cancelled", "312")),
    ewb("first Part-B of a Part-A slip starts validity from the Part-B time (450 km: 3 days)",
        PART_A, act("update_part_b", "transporter"), "2025-01-03T15:00:00+05:30",
        allowed(dict(PART_A, status="active", validUpto="2025-01-06T23:59:00+05:30",
                     transporterEnteredPartB=True))),
    ewb("first Part-B with an over-dimensional vehicle (450 km: 23 days)", PART_A,
        act("update_part_b", "transporter", cargo="over_dimensional"),
        "2025-01-03T15:00:00+05:30",
        allowed(dict(PART_A, status="active", validUpto="2025-01-26T23:59:00+05:30",
                     cargo="over_dimensional", transporterEnteredPartB=True))),
    # transporter update (C.5)
    ewb("transporter update by the generator at validUpto exactly", ACTIVE,
        act("update_transporter", "generator", transporterId=T), "2025-01-02T23:59:00+05:30",
        allowed(WITH_T)),
    ewb("transporter update one second after validUpto is refused (281)", ACTIVE,
        act("update_transporter", "generator", transporterId=T), "2025-01-02T23:59:01+05:30",
        refused("ewaybill.validity_lapsed", "281")),
    ewb("transporter update by the generator after the transporter entered Part-B (338)",
        T_ENTERED, act("update_transporter", "generator", transporterId=T2),
        "2025-01-01T11:00:00+05:30", refused("ewaybill.transporter_entered_part_b", "338")),
    ewb("handover by the current transporter after its Part-B", T_ENTERED,
        act("update_transporter", "transporter", transporterId=T2), "2025-01-01T11:00:00+05:30",
        allowed(dict(ACTIVE, transporterId=T2))),
    ewb("transporter update by the other party is refused (339)", WITH_T,
        act("update_transporter", "other_party", transporterId=T2), "2025-01-01T11:00:00+05:30",
        refused("ewaybill.not_assigned_for_transporter_update", "339")),
    ewb("transporter update by a transporter when none is assigned (339)", ACTIVE,
        act("update_transporter", "transporter", transporterId=T2), "2025-01-01T11:00:00+05:30",
        refused("ewaybill.not_assigned_for_transporter_update", "339")),
    ewb("transporter update on a Part-A slip (no validity yet)", PART_A,
        act("update_transporter", "generator", transporterId=T2), "2025-02-20T11:00:00+05:30",
        allowed(dict(PART_A, transporterId=T2))),
    # extension (C.6)
    ewb("extend at validUpto - 8 h - 1 s is refused (382)", ACTIVE, ext("generator", 100),
        "2025-01-02T15:58:59+05:30", refused("ewaybill.outside_extension_window", "382")),
    ewb("extend at validUpto - 8 h exactly", ACTIVE, ext("generator", 100),
        "2025-01-02T15:59:00+05:30",
        allowed(dict(ACTIVE, status="extended", validUpto="2025-01-03T23:59:00+05:30"))),
    ewb("extend at validUpto + 8 h exactly (counted from the extension's date)", ACTIVE,
        ext("generator", 100), "2025-01-03T07:59:00+05:30",
        allowed(dict(ACTIVE, status="extended", validUpto="2025-01-04T23:59:00+05:30"))),
    ewb("extend at validUpto + 8 h + 1 s is refused (382)", ACTIVE, ext("generator", 100),
        "2025-01-03T07:59:01+05:30", refused("ewaybill.outside_extension_window", "382")),
    ewb("recorded: extension 04/07/2023 06:13 PM with 5 km left -> 05/07/2023 11:59:00 PM",
        RECORDED_EXT, ext("generator", 5), "2023-07-04T18:13:00+05:30",
        allowed(dict(RECORDED_EXT, status="extended", validUpto="2023-07-05T23:59:00+05:30"))),
    ewb("extend with remaining = original distance", ACTIVE, ext("generator", 150),
        "2025-01-02T20:00:00+05:30",
        allowed(dict(ACTIVE, status="extended", validUpto="2025-01-03T23:59:00+05:30"))),
    ewb("extend with remaining > original distance is refused (390)", ACTIVE,
        ext("generator", 151), "2025-01-02T20:00:00+05:30",
        refused("ewaybill.remaining_distance_too_long", "390")),
    ewb("extend with no remaining distance is refused (389)", ACTIVE, ext("generator", 0),
        "2025-01-02T20:00:00+05:30", refused("ewaybill.remaining_distance_required", "389")),
    ewb("extend over-dimensional cargo: 100 km is 5 days", ACTIVE,
        ext("generator", 100, cargo="over_dimensional"), "2025-01-02T20:00:00+05:30",
        allowed(dict(ACTIVE, status="extended", validUpto="2025-01-07T23:59:00+05:30",
                     cargo="over_dimensional"))),
    ewb("extend by the other party is refused (384)", ACTIVE, ext("other_party", 100),
        "2025-01-02T20:00:00+05:30", refused("ewaybill.not_current_transporter", "384")),
    ewb("extend by a transporter when none is assigned is refused (700)", ACTIVE,
        ext("transporter", 100), "2025-01-02T20:00:00+05:30",
        refused("ewaybill.not_assigned_to_extend", "700")),
    ewb("extend by the generator while a transporter is assigned is refused (384)", WITH_T,
        ext("generator", 100), "2025-01-02T20:00:00+05:30",
        refused("ewaybill.not_current_transporter", "384")),
    ewb("extend by the generator after the transporter entered Part-B is refused (637)",
        T_ENTERED, ext("generator", 100), "2025-01-02T20:00:00+05:30",
        refused("ewaybill.transporter_entered_part_b", "637")),
    ewb("extend by the current transporter", T_ENTERED, ext("transporter", 100),
        "2025-01-02T20:00:00+05:30",
        allowed(dict(T_ENTERED, status="extended", validUpto="2025-01-03T23:59:00+05:30"))),
    ewb("extend a cancelled bill is refused (379)", CANCELLED, ext("generator", 100),
        "2025-01-02T20:00:00+05:30", refused("ewaybill.cancelled", "379")),
    ewb("extend a rejected bill is refused (380)", REJECTED, ext("generator", 100),
        "2025-01-06T20:00:00+05:30", refused("ewaybill.rejected", "380")),
    ewb("extend a Part-A slip is refused (381)", PART_A, ext("generator", 100),
        "2025-01-02T20:00:00+05:30", refused("ewaybill.no_part_b", "381")),
    ewb("extend an extended bill again", dict(ACTIVE, status="extended"), ext("generator", 100),
        "2025-01-02T20:00:00+05:30",
        allowed(dict(ACTIVE, status="extended", validUpto="2025-01-03T23:59:00+05:30"))),
    ewb("extend an expired bill within 8 h after validUpto", dict(ACTIVE, status="expired"),
        ext("generator", 100), "2025-01-03T01:00:00+05:30",
        allowed(dict(ACTIVE, status="extended", validUpto="2025-01-04T23:59:00+05:30"))),
    ewb("extension reaching exactly the 360-day limit (generated 01-01-2025: 27-12-2025 23:59)",
        NEAR_LIMIT, ext("generator", 150), "2025-12-26T20:00:00+05:30",
        allowed(dict(NEAR_LIMIT, validUpto="2025-12-27T23:59:00+05:30"))),
    ewb("extension past the 360-day limit is capped at it (821)", NEAR_LIMIT,
        ext("generator", 250), "2025-12-26T20:00:00+05:30",
        allowed(dict(NEAR_LIMIT, validUpto="2025-12-27T23:59:00+05:30"))),
    ewb("no extension once validity has reached the 360-day limit (821)", AT_LIMIT,
        ext("generator", 100), "2025-12-27T20:00:00+05:30",
        refused("ewaybill.lifetime_limit", "821")),
]

# ----------------------------------------------------------------------------------------------
# DUPIRN

SELLER = "29AAFCC9980M1ZR"
BUYER = "27AAPFU0939F1ZV"
DOC_NO = "ACM/26-27/0042"
IRN = hashlib.sha256(f"{SELLER}2026-27INV{DOC_NO}".encode()).hexdigest()
OTHER_IRN = hashlib.sha256(f"{SELLER}2026-27INVACM/26-27/0043".encode()).hexdigest()

REQUEST = {
    "documentDetails": {"type": "INV", "number": DOC_NO, "date": "2026-05-14"},
    "transactionDetails": {"supplyType": "B2B"},
    "seller": {"gstin": SELLER, "legalName": "Acme Components Private Limited",
               "address1": "12 Industrial Area", "location": "Bengaluru", "pincode": 560058,
               "stateCode": "29"},
    "buyer": {"gstin": BUYER, "legalName": "Globex Trading LLP", "placeOfSupplyStateCode": "27",
              "address1": "8 MG Road", "location": "Mumbai", "pincode": 400001,
              "stateCode": "27"},
    "items": [{"serialNumber": "1", "productDescription": "Consulting services",
               "isService": "Y", "hsnCode": "998314", "unitPrice": 10000,
               "totalAmount": 10000, "assessableAmount": 10000, "gstRate": 18,
               "igstAmount": 1800, "totalItemValue": 11800}],
    "valueDetails": {"assessableValue": 10000, "igstValue": 1800,
                     "totalInvoiceValue": 11800},
}

API_DUPIRN = {"irn": IRN, "ackNumber": 112610012345678, "ackDate": "2026-05-14T11:42:18.000Z",
              "status": "ACT", "message": "2150 : Duplicate IRN", "infoCode": "DUPIRN"}
NIC_DUPIRN = {
    "Status": 0,
    "ErrorDetails": [{"ErrorCode": "2150", "ErrorMessage": "Duplicate IRN"}],
    "InfoDtls": [
        {"InfCd": "EWBPPD", "Desc": "Pin-Pin calc distance: 984KM"},
        {"InfCd": "DUPIRN",
         "Desc": {"AckNo": 112610012345678, "AckDt": "2026-05-14 17:12:18", "Irn": IRN}},
    ],
}
DUP_OUTCOME = {"irn": IRN, "ackNo": 112610012345678, "ackDate": "2026-05-14T17:12:18+05:30",
               "status": "ACT", "duplicate": True}

SIGNED_DATA = {
    "AckNo": 112610012345678, "AckDt": "2026-05-14 17:12:18", "Irn": IRN, "Version": "1.1",
    "TranDtls": {"TaxSch": "GST", "SupTyp": "B2B"},
    "DocDtls": {"Typ": "INV", "No": DOC_NO, "Dt": "14/05/2026"},
    "SellerDtls": {"Gstin": SELLER, "LglNm": "Acme Components Private Limited"},
    "BuyerDtls": {"Gstin": BUYER, "LglNm": "Globex Trading LLP", "Pos": "27"},
    "ValDtls": {"AssVal": 10000, "IgstVal": 1800, "TotInvVal": 11800.0},
}


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jws(data):
    header = b64url(json.dumps({"alg": "RS256", "kid": "TEST", "typ": "JWT"}).encode())
    claims = b64url(json.dumps({"data": json.dumps(data), "iss": "NIC Sandbox"}).encode())
    return f"{header}.{claims}.c2lnbmF0dXJlLW5vdC1jaGVja2Vk"


OTHER_BUYER_DATA = copy.deepcopy(SIGNED_DATA)
OTHER_BUYER_DATA["BuyerDtls"]["Gstin"] = "33AABCT3518Q1ZW"
OTHER_BUYER_DATA["ValDtls"]["TotInvVal"] = 12980.5
PAISA_OFF_DATA = copy.deepcopy(SIGNED_DATA)
PAISA_OFF_DATA["ValDtls"]["TotInvVal"] = "11800.01"

DUPIRN = [
    case("OneFinOps reply flagged DUPIRN (seed 003)", {"op": "parse", "reply": API_DUPIRN},
         {"outcome": dict(DUP_OUTCOME, message="2150 : Duplicate IRN", shape="onefinops")}),
    case("NIC reply 2150 with InfoDtls DUPIRN (after an EWBPPD entry)",
         {"op": "parse", "reply": NIC_DUPIRN},
         {"outcome": dict(DUP_OUTCOME, message="2150 : Duplicate IRN", shape="nic")}),
    case("OneFinOps fresh reply (seed 003 happy path) is not a duplicate",
         {"op": "parse", "reply": {"irn": IRN, "ackNumber": "112610012345678",
                                   "ackDate": "2026-05-14T11:42:18.000Z", "status": "ACT",
                                   "signedInvoice": "h.p.s", "signedQRCode": "h.q.s",
                                   "message": "E-Invoice generated successfully"}},
         {"outcome": dict(DUP_OUTCOME, duplicate=False, signedInvoice="h.p.s",
                          signedQrCode="h.q.s", message="E-Invoice generated successfully",
                          shape="onefinops")}),
    case("the message alone does not make a duplicate: infoCode does",
         {"op": "parse", "reply": dict(API_DUPIRN, infoCode=None)},
         {"outcome": dict(DUP_OUTCOME, duplicate=False, message="2150 : Duplicate IRN",
                          shape="onefinops")}),
    case("NIC 2150 without the DUPIRN entry",
         {"op": "parse", "reply": {"Status": 0, "ErrorDetails": [
             {"ErrorCode": "2150", "ErrorMessage": "Duplicate IRN"}]}},
         {"error": "dupirn.duplicate_without_details"}),
    case("NIC refusal that is not a duplicate",
         {"op": "parse", "reply": {"Status": 0, "ErrorDetails": [
             {"ErrorCode": "2265", "ErrorMessage": "Recipient GSTIN state code does not match"}]}},
         {"error": "dupirn.refused"}),
    case("same invoice: buyer and total match the signed invoice (11800 = 11800.0)",
         {"op": "adopt", "request": REQUEST, "reply": NIC_DUPIRN,
          "signedInvoice": jws(SIGNED_DATA)},
         {"adopted": {"irn": IRN, "ackNo": 112610012345678,
                      "ackDate": "2026-05-14T17:12:18+05:30", "basis": "verified"}}),
    case("genuine conflict: same number, different buyer and total",
         {"op": "adopt", "request": REQUEST, "reply": API_DUPIRN,
          "signedInvoice": jws(OTHER_BUYER_DATA)},
         {"conflict": {"code": "dupirn.different_invoice", "differences": [
             {"field": "BuyerDtls.Gstin", "requested": BUYER, "registered": "33AABCT3518Q1ZW"},
             {"field": "ValDtls.TotInvVal", "requested": "11800", "registered": "12980.5"},
         ]}}),
    case("genuine conflict: one paisa is a different invoice",
         {"op": "adopt", "request": REQUEST, "reply": API_DUPIRN,
          "signedInvoice": jws(PAISA_OFF_DATA)},
         {"conflict": {"code": "dupirn.different_invoice", "differences": [
             {"field": "ValDtls.TotInvVal", "requested": "11800", "registered": "11800.01"},
         ]}}),
    case("older than 2 days (Get-IRN 2283): adopt Irn/AckNo/AckDt only",
         {"op": "adopt", "request": REQUEST, "reply": NIC_DUPIRN, "signedInvoice": None},
         {"adopted": {"irn": IRN, "ackNo": 112610012345678,
                      "ackDate": "2026-05-14T17:12:18+05:30", "basis": "identity_only"}}),
    case("a duplicate for another IRN is never adopted",
         {"op": "adopt", "request": REQUEST, "reply": dict(API_DUPIRN, irn=OTHER_IRN),
          "signedInvoice": None},
         {"conflict": {"code": "dupirn.irn_mismatch"}}),
    case("a signed invoice of another IRN is never compared",
         {"op": "adopt", "request": REQUEST, "reply": API_DUPIRN,
          "signedInvoice": jws(dict(SIGNED_DATA, Irn=OTHER_IRN))},
         {"conflict": {"code": "dupirn.signed_invoice_for_other_irn"}}),
]

EWB_DUPLICATE = [
    case("604 on GENEWAYBILL: fetch by document",
         {"op": "generate", "codes": ["604"], "documentType": "INV", "documentNumber": DOC_NO},
         {"fetch": {"fetch": "by_document", "documentType": "INV", "documentNumber": DOC_NO}}),
    case("604 among several codes",
         {"op": "generate", "codes": ["702", " 604"], "documentType": "CHL",
          "documentNumber": "DC-9"},
         {"fetch": {"fetch": "by_document", "documentType": "CHL", "documentNumber": "DC-9"}}),
    case("another GENEWAYBILL error is not recoverable",
         {"op": "generate", "codes": ["702"], "documentType": "INV", "documentNumber": DOC_NO},
         {"fetch": None}),
    case("4002 on EWB-by-IRN: fetch by IRN",
         {"op": "generate_by_irn", "codes": ["4002"], "irn": IRN},
         {"fetch": {"fetch": "by_irn", "irn": IRN}}),
    case("604 on EWB-by-IRN is not 4002",
         {"op": "generate_by_irn", "codes": ["604"], "irn": IRN}, {"fetch": None}),
]

# ----------------------------------------------------------------------------------------------
# error envelope


def env(name, status, body, expected, retry_after=None):
    inp = {"status": status, "body": body}
    if retry_after is not None:
        inp["retryAfter"] = retry_after
    return case(name, inp, expected)


def err(code, message, http, retryable, request_id=None, envelope=None, **extra):
    e = {"code": code, "message": message, "httpStatus": http, "retryable": retryable,
         "requestId": request_id, "needsReauth": False, "retryAfter": None, "details": [],
         "upstream": None, "upstreamClass": None}
    e.update(extra)
    if envelope is not None:
        e["envelope"] = envelope
    return e


def body(code, message, **extra):
    b = {"code": code, "message": message}
    b.update(extra)
    return {"error": b}


FINDINGS = [
    {"path": "/valueDetails/totalInvoiceValue", "code": "arithmetic.total_invoice_value",
     "nicCode": "2189", "message": "totalInvoiceValue 11900 differs from the sum 11800 by more than 1",
     "severity": "error"},
    {"path": "/items/0/totalAmount", "code": "arithmetic.total_amount", "nicCode": "2192",
     "message": "totalAmount is not quantity x unitPrice", "severity": "warning"},
]

ENVELOPE = [
    env("400 irp_credentials.not_configured (seed 003)", 400,
        body("irp_credentials.not_configured", "No IRP credential found for seller.gstin.",
             requestId="req_001"),
        err("irp_credentials.not_configured", "No IRP credential found for seller.gstin.", 400,
            False, "req_001",
            body("irp_credentials.not_configured", "No IRP credential found for seller.gstin.",
                 requestId="req_001"))),
    env("401 auth.invalid_token (seed 003)", 401,
        body("auth.invalid_token", "Token missing, malformed, or expired.", requestId="req_002"),
        err("auth.invalid_token", "Token missing, malformed, or expired.", 401, False, "req_002",
            body("auth.invalid_token", "Token missing, malformed, or expired.",
                 requestId="req_002"), needsReauth=True)),
    env("403 auth.entitlement_missing (seed 003)", 403,
        body("auth.entitlement_missing", "Plan doesn't include e-invoicing.", requestId="req_003"),
        err("auth.entitlement_missing", "Plan doesn't include e-invoicing.", 403, False,
            "req_003", body("auth.entitlement_missing", "Plan doesn't include e-invoicing.",
                            requestId="req_003"))),
    env("422 validation_error with details (seed 003)", 422,
        body("validation_error", "Body shape or arithmetic failed validation.",
             requestId="req_004", details=FINDINGS),
        err("validation_error", "Body shape or arithmetic failed validation.", 422, False,
            "req_004", body("validation_error", "Body shape or arithmetic failed validation.",
                            requestId="req_004", details=FINDINGS), details=FINDINGS)),
    env("502 upstream.failure with upstream (seed 003)", 502,
        body("upstream.failure", "NIC IRP refused the document.", requestId="req_005",
             upstream={"code": "2265", "message": "Recipient GSTIN state code does not match"}),
        err("upstream.failure", "NIC IRP refused the document.", 502, False, "req_005",
            body("upstream.failure", "NIC IRP refused the document.", requestId="req_005",
                 upstream={"code": "2265",
                           "message": "Recipient GSTIN state code does not match"}),
            upstream={"code": "2265", "message": "Recipient GSTIN state code does not match"},
            upstreamClass="user-fix")),
    env("502 upstream.failure with a retryable NIC code (2146)", 502,
        body("upstream.failure", "NIC IRP could not create the IRN.",
             upstream={"code": 2146, "message": "Unable to create IRN, try after some time"}),
        err("upstream.failure", "NIC IRP could not create the IRN.", 502, True,
            upstream={"code": "2146", "message": "Unable to create IRN, try after some time"},
            upstreamClass="retryable")),
    env("503 upstream.unavailable (seed 003)", 503,
        body("upstream.unavailable", "NIC IRP unreachable.", requestId="req_006"),
        err("upstream.unavailable", "NIC IRP unreachable.", 503, True, "req_006",
            body("upstream.unavailable", "NIC IRP unreachable.", requestId="req_006"))),
    env("429 rate_limited with Retry-After (seed 004)", 429,
        body("rate_limited", "Rate limit exceeded.", requestId="req_007"),
        err("rate_limited", "Rate limit exceeded.", 429, True, "req_007",
            body("rate_limited", "Rate limit exceeded.", requestId="req_007", retryAfter=30),
            retryAfter=30), retry_after="30"),
    env("429: the header wins over the body's retryAfter", 429,
        body("rate_limited", "Slow down.", retryAfter=5),
        err("rate_limited", "Slow down.", 429, True, retryAfter=12), retry_after=" 12 "),
    env("429: an HTTP-date Retry-After falls back to the body", 429,
        body("rate_limited", "Slow down.", retryAfter=5),
        err("rate_limited", "Slow down.", 429, True, retryAfter=5),
        retry_after="Wed, 21 Oct 2026 07:28:00 GMT"),
    env("409 idempotency.conflict: the first request is still running", 409,
        body("idempotency.conflict", "A request with this Idempotency-Key is in progress."),
        err("idempotency.conflict", "A request with this Idempotency-Key is in progress.", 409,
            True)),
    env("400 idempotency.conflict: same key, different payload", 400,
        body("idempotency.conflict", "Idempotency-Key reused with a different payload."),
        err("idempotency.conflict", "Idempotency-Key reused with a different payload.", 400,
            False)),
    env("404 not_found", 404, body("not_found", "No such e-invoice."),
        err("not_found", "No such e-invoice.", 404, False)),
    env("504 timeout", 504, body("timeout", "NIC did not answer in time."),
        err("timeout", "NIC did not answer in time.", 504, True)),
    env("500 internal", 500, body("internal", "Something broke."),
        err("internal", "Something broke.", 500, False)),
    env("400 invalid_argument", 400, body("invalid_argument", "gstin header is required."),
        err("invalid_argument", "gstin header is required.", 400, False)),
    env("a proxy's HTML 503 is read by its status", 503, "<html>Service Unavailable</html>",
        err("upstream.unavailable", "HTTP 503", 503, True)),
    env("an empty 401 is read by its status", 401, "",
        err("auth.invalid_token", "HTTP 401", 401, False, needsReauth=True)),
    env("an unknown code keeps the message and falls back to the status", 422,
        body("validation.brand_new", "A code from a newer API."),
        err("validation_error", "A code from a newer API.", 422, False)),
]

NIC_CODES = [
    case(f"{code} is {cls}", {"code": code}, {"class": cls})
    for code, cls in [
        ("2146", "retryable"), ("2147", "retryable"), ("5001", "retryable"),
        ("GSPERR300", "retryable"), ("GSPGSTDOWN", "retryable"),
        ("1005", "re-auth"), ("238", "re-auth"), ("106", "re-auth"),
        ("2150", "idempotent-recover"), ("604", "idempotent-recover"),
        ("4002", "idempotent-recover"), ("9999", "idempotent-recover"),
        ("312", "idempotent-recover"),
        ("2270", "user-fix"), ("2230", "user-fix"), ("2172", "user-fix"), ("382", "user-fix"),
        ("821", "user-fix"), ("0000", "user-fix"),
    ]
]

FILES = {
    "validity.json": ("validity", "EWB validity predictor (nic-rules C.2, C.3)", VALIDITY),
    "einvoice.json": ("einvoice", "E-invoice guards (nic-rules B.8, B.9)", EINVOICE),
    "ewaybill.json": ("ewaybill", "E-way bill guards (nic-rules C.4-C.8)", EWAYBILL),
    "dupirn.json": ("dupirn", "DUPIRN: both reply shapes, adoption and conflicts (nic-rules B.8)",
                    DUPIRN),
    "ewb_duplicate.json": ("ewb_duplicate", "Fetch-and-adopt on EWB 604 / 4002 (nic-rules C.1, C.12)",
                           EWB_DUPLICATE),
    "error_envelope.json": ("error_envelope",
                            "API error envelope: status + Retry-After + body -> error -> envelope",
                            ENVELOPE),
    "nic_code.json": ("nic_code", "NIC code classes (nic-rules E.5)", NIC_CODES),
}


def render(kind, description, cases):
    doc = {"kind": kind, "description": description, "cases": cases}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def main():
    check = "--check" in sys.argv
    stale = []
    for name, (kind, description, cases) in FILES.items():
        text = render(kind, description, cases)
        path = HERE / name
        if check:
            if not path.exists() or path.read_text() != text:
                stale.append(name)
        else:
            path.write_text(text)
    if stale:
        sys.exit(f"out of date: {', '.join(stale)}")


if __name__ == "__main__":
    main()
