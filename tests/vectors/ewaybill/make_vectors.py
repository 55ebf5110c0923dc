#!/usr/bin/env python3
"""Writes the e-way bill vectors in this directory.

Each vector is {"description", "kind", "action", "canonical", "nic"}: a payload in the API's
canonical form and the exact NIC EWB JSON it maps to (and back from). "kind" names the payload
type (generate, part_b, extend, cancel, reject, transporter, ewb_by_irn); "action" is NIC's action
name for the request body, null for the e-invoice API's EWB-by-IRN.

The NIC side is produced here by a second, independent mapping (tables of key renames written from
NIC's EWB pages and samples), so the Rust mapping is checked against something it did not produce.
Amounts are Decimals written as exact JSON numbers, the same text on both sides.

Run: python3 tests/vectors/ewaybill/make_vectors.py          (rewrites the *.json files)
     python3 tests/vectors/ewaybill/make_vectors.py --check  (fails if a file is out of date)
"""
import hashlib
import json
import re
import sys
from decimal import Decimal, ROUND_HALF_UP
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHARSET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def gstin(first14):
    """Appends the mod-36 check character (nic-rules B.3)."""
    total = 0
    for i, c in enumerate(first14):
        p = CHARSET.index(c) * (1 if i % 2 == 0 else 2)
        total += p // 36 + p % 36
    return first14 + CHARSET[(36 - total % 36) % 36]


def num(d):
    """An exact JSON number: marked here, unquoted by dump()."""
    return "#" + str(Decimal(d))


def r2(d):
    return d.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def dump(obj):
    text = json.dumps(obj, indent=2, ensure_ascii=False)
    return re.sub(r'"#(-?[0-9.]+)"', r"\1", text) + "\n"


def drop_none(d):
    return {k: v for k, v in d.items() if v is not None}


# ---------------------------------------------------------------------------------------------
# Canonical documents

SELLER_KA = gstin("29AAACO1234F1Z")
BUYER_KA = gstin("29AAKCK5678M1Z")
BUYER_MH = gstin("27AABCP4321Q1Z")
EXPORTER_GJ = gstin("24AAGCM9876R1Z")
TRANSPORTER_KA = gstin("29AAFCD4455H1Z")
TRANSIN = "88AAACD8017H1ZX"  # an unregistered transporter's TRANSIN (nic-rules C.13)


def line(no, name, desc, hsn, qty, unit, taxable, split, rate, cess_rate="0", cess_non_advol="0"):
    rate = Decimal(rate)
    it = {"itemNumber": no, "productName": name, "productDescription": desc, "hsnCode": hsn}
    if qty is not None:
        it["quantity"] = num(qty)
        it["unit"] = unit
    it["taxableAmount"] = num(taxable)
    if split == "intra":
        half = rate / 2
        it.update(cgstRate=num(half), sgstRate=num(half), igstRate=num("0"))
    elif split == "inter":
        it.update(cgstRate=num("0"), sgstRate=num("0"), igstRate=num(rate))
    if cess_rate is not None:
        it["cessRate"] = num(cess_rate)
    if cess_non_advol is not None:
        it["cessNonAdvol"] = num(cess_non_advol)
    return drop_none(it)


def totals(items, other=None, zeros=True):
    def tax(key, amount_key="taxableAmount"):
        t = Decimal(0)
        for it in items:
            if key in it:
                t += r2(Decimal(it[amount_key][1:]) * Decimal(it[key][1:]) / 100)
        return t

    total = sum(Decimal(it["taxableAmount"][1:]) for it in items)
    cgst, sgst, igst, cess = tax("cgstRate"), tax("sgstRate"), tax("igstRate"), tax("cessRate")
    cess_na = sum(Decimal(it.get("cessNonAdvol", "#0")[1:]) for it in items)
    grand = total + cgst + sgst + igst + cess + cess_na + (Decimal(other) if other else 0)
    v = {"totalValue": num(total)}
    for key, amount in [("cgstValue", cgst), ("sgstValue", sgst), ("igstValue", igst),
                        ("cessValue", cess), ("cessNonAdvolValue", cess_na)]:
        if amount or zeros:
            v[key] = num(r2(amount) if amount else 0)
    if other is not None:
        v["otherValue"] = num(other)
    v["totalInvoiceValue"] = num(r2(grand))
    return v


OUTWARD_ROAD_ITEMS = [
    line(1, "Cotton T-shirt", "Knitted cotton T-shirts, assorted sizes", "61091000", "200.000", "NOS",
         "50000.00", "intra", "5"),
    line(2, "Woollen scarf", "Woollen scarves", "61171020", "50", "NOS", "12500.00", "intra", "12"),
]
IMPORT_ITEMS = [
    drop_none({**line(None, "Skimmed milk powder", "Skimmed milk powder, 25 kg bags", "0402", "1250.500",
                      "KGS", "187575.00", "inter", "5", cess_rate=None, cess_non_advol=None)}),
    {"productDescription": "Wi-Fi routers", "hsnCode": "85176290", "quantity": num("40"), "unit": "NOS",
     "taxableAmount": num("96000.00"), "igstRate": num("18")},
]
EXPORT_ITEMS = [
    line(1, "Hydraulic excavator", "Crawler excavator, 20 t class", "84295200", "2", "NOS",
         "4800000.00", "inter", "0"),
]
CHALLAN_ITEMS = [
    line(1, "Display kiosk", "Interactive display kiosks for demonstration", "84716060", "3", "NOS",
         "210000.00", "intra", "18"),
]

VECTORS = {
    "generate-outward-road": {
        "kind": "generate",
        "description": "Outward supply by road within Karnataka: tax invoice, CGST/SGST, a discount in "
                       "otherValue, distance sent as the string \"100\", state codes as numbers",
        "canonical": {
            "userGstin": SELLER_KA,
            "documentDetails": {"type": "INV", "number": "OFO/22-23/0042", "date": "2022-10-05"},
            "supplyType": "O",
            "subSupplyType": 1,
            "transactionType": 1,
            "from": {"gstin": SELLER_KA, "tradeName": "OneFinOps Demo Apparel Pvt Ltd",
                     "address1": "12 MG Road", "address2": "Ashok Nagar", "place": "Bengaluru",
                     "pincode": 560001, "stateCode": "29", "actualStateCode": "29"},
            "to": {"gstin": BUYER_KA, "tradeName": "Kaveri Traders", "address1": "45 Industrial Suburb",
                   "address2": "Hebbal", "place": "Mysuru", "pincode": 570016, "stateCode": "29",
                   "actualStateCode": "29"},
            "items": OUTWARD_ROAD_ITEMS,
            "valueDetails": totals(OUTWARD_ROAD_ITEMS, other="-100.00"),
            "transport": {"transporterId": TRANSPORTER_KA, "transporterName": "Deccan Roadways",
                          "mode": "1", "distance": 100, "vehicleNumber": "KA01AB1234", "vehicleType": "R"},
            "mainHsnCode": "61091000",
        },
    },
    "generate-inward-import": {
        "kind": "generate",
        "description": "Inward import on a bill of entry: consignor abroad (URP, PIN 999999, state 99) "
                       "dispatching from the port state, IGST only, an HSN with a leading zero kept as a "
                       "string, items without line numbers, distance 0 (NIC computes it)",
        "canonical": {
            "userGstin": BUYER_MH,
            "documentDetails": {"type": "BOE", "number": "BOE-7734521", "date": "2023-08-07"},
            "supplyType": "I",
            "subSupplyType": 2,
            "transactionType": 3,
            "from": {"gstin": "URP", "tradeName": "Shenzhen Network Widgets Co Ltd",
                     "address1": "Nhava Sheva Port, JNPT", "place": "Navi Mumbai", "pincode": 999999,
                     "stateCode": "99", "actualStateCode": "27"},
            "to": {"gstin": BUYER_MH, "tradeName": "Pune Dairy and Networks LLP", "address1": "Plot 9, MIDC",
                   "place": "Pune", "pincode": 411019, "stateCode": "27", "actualStateCode": "27"},
            "items": IMPORT_ITEMS,
            "valueDetails": totals(IMPORT_ITEMS, zeros=False),
            "transport": {"mode": "1", "distance": 0, "vehicleNumber": "MH43BX7788", "vehicleType": "R"},
            "mainHsnCode": "0402",
        },
    },
    "generate-ship-odc": {
        "kind": "generate",
        "description": "Export by ship of over-dimensional cargo: bill-to abroad, ship-to the port state, "
                       "bill of lading as transport document, transporter identified by a TRANSIN, no vehicle",
        "canonical": {
            "documentDetails": {"type": "INV", "number": "EXP/2022/117", "date": "2022-11-01"},
            "supplyType": "O",
            "subSupplyType": 3,
            "transactionType": 2,
            "from": {"gstin": EXPORTER_GJ, "tradeName": "Mehsana Earthmovers Pvt Ltd",
                     "address1": "Survey 221, GIDC", "place": "Mehsana", "pincode": 384002,
                     "stateCode": "24", "actualStateCode": "24"},
            "to": {"gstin": "URP", "tradeName": "Gulf Heavy Industries LLC", "address1": "Jebel Ali Free Zone",
                   "place": "Dubai", "pincode": 999999, "stateCode": "99", "actualStateCode": "24"},
            "items": EXPORT_ITEMS,
            "valueDetails": totals(EXPORT_ITEMS, other="0"),
            "transport": {"transporterId": TRANSIN, "transporterName": "Kutch Shipping Agency",
                          "mode": "4", "distance": 60, "documentNumber": "BL/MUN/22/0917",
                          "documentDate": "2022-11-02", "vehicleType": "O"},
            "mainHsnCode": "84295200",
        },
    },
    "generate-part-a-others": {
        "kind": "generate",
        "description": "A Part-A slip: delivery challan for an exhibition-like purpose under sub-supply "
                       "'others' with its description, combination transaction type, only a transporter "
                       "ID in Part-B",
        "canonical": {
            "documentDetails": {"type": "CHL", "number": "DC-0091", "date": "2024-02-25"},
            "supplyType": "O",
            "subSupplyType": 8,
            "subSupplyDescription": "Demo units",
            "transactionType": 4,
            "from": {"gstin": SELLER_KA, "tradeName": "OneFinOps Demo Apparel Pvt Ltd",
                     "address1": "12 MG Road", "place": "Bengaluru", "pincode": 560001,
                     "stateCode": "29", "actualStateCode": "29"},
            "to": {"gstin": BUYER_KA, "tradeName": "Kaveri Traders", "place": "Mysuru", "pincode": 570016,
                   "stateCode": "29", "actualStateCode": "29"},
            "items": CHALLAN_ITEMS,
            "valueDetails": totals(CHALLAN_ITEMS),
            "transport": {"transporterId": TRANSPORTER_KA, "distance": 250},
        },
    },
    "part-b": {
        "kind": "part_b",
        "description": "Part-B update by road after a breakdown",
        "canonical": {"ewbNumber": 301002999920, "vehicleNumber": "KA05MN4321", "fromPlace": "Tumakuru",
                      "fromStateCode": "29", "reason": "break_down",
                      "remarks": "Vehicle broke down near Tumakuru", "transportMode": "1", "vehicleType": "R"},
    },
    "part-b-rail-first-time": {
        "kind": "part_b",
        "description": "First Part-B of a Part-A slip, by rail: railway receipt number and date, no vehicle",
        "canonical": {"ewbNumber": 331009290312, "fromPlace": "Bengaluru", "fromStateCode": "29",
                      "reason": "first_time", "remarks": "First Part-B", "transportDocumentNumber": "1234567890",
                      "transportDocumentDate": "2024-02-26", "transportMode": "2"},
    },
    "extend-in-transit": {
        "kind": "extend",
        "description": "Extension of goods held in a warehouse: consignment status T, mode 5 (in transit), "
                       "transit type W and the address",
        "canonical": {"ewbNumber": 321003228100, "fromPlace": "Bhiwandi", "fromStateCode": "27",
                      "fromPincode": 421302, "remainingDistance": 120, "transportMode": "5",
                      "reason": "law_and_order", "remarks": "Highway closed by a local bandh",
                      "consignmentStatus": "T", "transitType": "W",
                      "addressLine1": "Warehouse 7, Mankoli Naka", "addressLine2": "Bhiwandi",
                      "addressLine3": "Thane 421302"},
    },
    "extend-in-movement": {
        "kind": "extend",
        "description": "Extension of goods still moving by road: consignment status M, no transit type "
                       "(written as \"\" to NIC), reason 99 others",
        "canonical": {"ewbNumber": 301002999920, "vehicleNumber": "KA01AB1234", "fromPlace": "Hassan",
                      "fromStateCode": "29", "fromPincode": 573201, "remainingDistance": 5,
                      "transportMode": "1", "reason": "others", "remarks": "Delayed by a landslide diversion",
                      "consignmentStatus": "M"},
    },
    "cancel": {
        "kind": "cancel",
        "description": "Cancel because the order was cancelled: EWB code 2 (the e-invoice list has 3 "
                       "for this reason)",
        "canonical": {"ewbNumber": 301002999920, "reason": "order_cancelled", "remarks": "Cancelled the order"},
    },
    "reject": {
        "kind": "reject",
        "description": "Rejection by the other party",
        "canonical": {"ewbNumber": 181000609270},
    },
    "transporter": {
        "kind": "transporter",
        "description": "Hand the bill over to an unregistered transporter identified by a TRANSIN",
        "canonical": {"ewbNumber": 301002999920, "transporterId": TRANSIN},
    },
    "ewb-by-irn": {
        "kind": "ewb_by_irn",
        "description": "EWB for an existing IRN through the e-invoice API, with dispatch-from and "
                       "export ship-to details",
        "canonical": {
            "irn": hashlib.sha256(b"ewaybill vector: EWB by IRN").hexdigest(),
            "distance": 2467,
            "transportMode": "1",
            "transporterId": TRANSPORTER_KA,
            "transporterName": "Deccan Roadways",
            "transportDocumentDate": "2022-09-16",
            "transportDocumentNumber": "LR-7781",
            "vehicleNumber": "KA01AB1234",
            "vehicleType": "R",
            "dispatchFrom": {"name": "OneFinOps Demo Apparel Warehouse", "address1": "Plot 4, KIADB",
                             "location": "Doddaballapur", "pincode": 561203, "stateCode": "29"},
            "exportShipTo": {"address1": "Chennai Port, Gate 3", "address2": "Rajaji Salai",
                             "location": "Chennai", "pincode": 600001, "stateCode": "33"},
        },
    },
}

# ---------------------------------------------------------------------------------------------
# The independent mapping to NIC

ACTIONS = {"generate": "GENEWAYBILL", "part_b": "VEHEWB", "extend": "EXTENDVALIDITY", "cancel": "CANEWB",
           "reject": "REJEWB", "transporter": "UPDATETRANSPORTER", "ewb_by_irn": None}
DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def nic_date(v):
    m = DATE_RE.match(v)
    assert m, v
    return f"{m.group(3)}/{m.group(2)}/{m.group(1)}"


def hsn_number(v):
    """NIC writes HSN codes as numbers; one with a leading zero stays a string."""
    return int(v) if v.isdigit() and not v.startswith("0") else v


def generate_to_nic(c):
    n = {}
    if "userGstin" in c:
        n["userGstin"] = c["userGstin"]
    n["supplyType"] = c["supplyType"]
    n["subSupplyType"] = c["subSupplyType"]
    if "subSupplyDescription" in c:
        n["subSupplyDesc"] = c["subSupplyDescription"]
    d = c["documentDetails"]
    n.update(docType=d["type"], docNo=d["number"], docDate=nic_date(d["date"]))
    for side in ("from", "to"):
        p = c[side]
        for canon, key in [("gstin", "Gstin"), ("tradeName", "TrdName"), ("address1", "Addr1"),
                           ("address2", "Addr2"), ("place", "Place"), ("pincode", "Pincode")]:
            if canon in p:
                n[side + key] = p[canon]
        n[side + "StateCode"] = int(p["stateCode"])
        n["act" + side.capitalize() + "StateCode"] = int(p["actualStateCode"])
    n["transactionType"] = c["transactionType"]
    values = {"totalValue": "totalValue", "cgstValue": "cgstValue", "sgstValue": "sgstValue",
              "igstValue": "igstValue", "cessValue": "cessValue", "cessNonAdvolValue": "cessNonAdvolValue",
              "otherValue": "otherValue", "totalInvoiceValue": "totInvValue"}
    for canon, key in values.items():
        if canon in c["valueDetails"]:
            n[key] = c["valueDetails"][canon]
    t = c["transport"]
    transport = {"transporterId": "transporterId", "transporterName": "transporterName", "mode": "transMode",
                 "documentNumber": "transDocNo", "vehicleNumber": "vehicleNo", "vehicleType": "vehicleType"}
    for canon, key in transport.items():
        if canon in t:
            n[key] = t[canon]
    n["transDistance"] = str(t["distance"])
    if "documentDate" in t:
        n["transDocDate"] = nic_date(t["documentDate"])
    if "mainHsnCode" in c:
        n["mainHsnCode"] = hsn_number(c["mainHsnCode"])
    item_keys = {"itemNumber": "itemNo", "productName": "productName", "productDescription": "productDesc",
                 "quantity": "quantity", "unit": "qtyUnit", "taxableAmount": "taxableAmount",
                 "cgstRate": "cgstRate", "sgstRate": "sgstRate", "igstRate": "igstRate", "cessRate": "cessRate",
                 "cessNonAdvol": "cessNonadvol"}
    items = []
    for it in c["items"]:
        out = {key: it[canon] for canon, key in item_keys.items() if canon in it}
        out["hsnCode"] = hsn_number(it["hsnCode"])
        items.append(out)
    n["itemList"] = items
    return n


PART_B_REASONS = {"break_down": 1, "transhipment": 2, "others": 3, "first_time": 4}
EXTENSION_REASONS = {"natural_calamity": 1, "law_and_order": 2, "transshipment": 4, "accident": 5, "others": 99}
CANCEL_REASONS = {"duplicate": 1, "order_cancelled": 2, "data_entry_mistake": 3, "others": 4}


def part_b_to_nic(c):
    n = {"ewbNo": c["ewbNumber"]}
    if "vehicleNumber" in c:
        n["vehicleNo"] = c["vehicleNumber"]
    n.update(fromPlace=c["fromPlace"], fromState=int(c["fromStateCode"]),
             reasonCode=PART_B_REASONS[c["reason"]], reasonRem=c["remarks"])
    if "transportDocumentNumber" in c:
        n["transDocNo"] = c["transportDocumentNumber"]
    if "transportDocumentDate" in c:
        n["transDocDate"] = nic_date(c["transportDocumentDate"])
    n["transMode"] = c["transportMode"]
    if "vehicleType" in c:
        n["vehicleType"] = c["vehicleType"]
    return n


def extend_to_nic(c):
    n = {"ewbNo": c["ewbNumber"]}
    if "vehicleNumber" in c:
        n["vehicleNo"] = c["vehicleNumber"]
    n.update(fromPlace=c["fromPlace"], fromState=int(c["fromStateCode"]), fromPincode=c["fromPincode"],
             remainingDistance=c["remainingDistance"])
    if "transportDocumentNumber" in c:
        n["transDocNo"] = c["transportDocumentNumber"]
    if "transportDocumentDate" in c:
        n["transDocDate"] = nic_date(c["transportDocumentDate"])
    n.update(transMode=c["transportMode"], extnRsnCode=EXTENSION_REASONS[c["reason"]],
             extnRemarks=c["remarks"], consignmentStatus=c["consignmentStatus"],
             transitType=c.get("transitType", ""))
    for i in (1, 2, 3):
        if f"addressLine{i}" in c:
            n[f"addressLine{i}"] = c[f"addressLine{i}"]
    return n


def cancel_to_nic(c):
    return {"ewbNo": c["ewbNumber"], "cancelRsnCode": CANCEL_REASONS[c["reason"]], "cancelRmrk": c["remarks"]}


def reject_to_nic(c):
    return {"ewbNo": c["ewbNumber"]}


def transporter_to_nic(c):
    return {"ewbNo": c["ewbNumber"], "transporterId": c["transporterId"]}


def ewb_by_irn_to_nic(c):
    keys = {"irn": "Irn", "distance": "Distance", "transportMode": "TransMode", "transporterId": "TransId",
            "transporterName": "TransName", "transportDocumentNumber": "TransDocNo", "vehicleNumber": "VehNo",
            "vehicleType": "VehType"}
    n = {key: c[canon] for canon, key in keys.items() if canon in c}
    if "transportDocumentDate" in c:
        n["TransDocDt"] = nic_date(c["transportDocumentDate"])
    place = {"name": "Nm", "address1": "Addr1", "address2": "Addr2", "location": "Loc", "pincode": "Pin",
             "stateCode": "Stcd"}
    if "dispatchFrom" in c:
        n["DispDtls"] = {place[k]: v for k, v in c["dispatchFrom"].items()}
    if "exportShipTo" in c:
        n["ExpShipDtls"] = {place[k]: v for k, v in c["exportShipTo"].items()}
    return n


TO_NIC = {"generate": generate_to_nic, "part_b": part_b_to_nic, "extend": extend_to_nic,
          "cancel": cancel_to_nic, "reject": reject_to_nic, "transporter": transporter_to_nic,
          "ewb_by_irn": ewb_by_irn_to_nic}


def files():
    for name, v in VECTORS.items():
        kind = v["kind"]
        out = {"description": v["description"], "kind": kind, "action": ACTIONS[kind],
               "canonical": v["canonical"], "nic": TO_NIC[kind](v["canonical"])}
        yield HERE / f"{name}.json", dump(out)


def main():
    check = "--check" in sys.argv[1:]
    stale = []
    for path, text in files():
        if check:
            if not path.exists() or path.read_text() != text:
                stale.append(str(path))
        else:
            path.write_text(text)
    if stale:
        sys.exit("out of date (run make_vectors.py): " + ", ".join(stale))


if __name__ == "__main__":
    main()
