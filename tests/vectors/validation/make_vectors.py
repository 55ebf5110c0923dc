#!/usr/bin/env python3
"""Writes the validation vectors in this directory.

Each file is a JSON array of cases:
    {"description", "kind": "einvoice" | "ewaybill", "options": {...}, "document": {...},
     "findings": [{"path", "code", "nicCode", "severity"}, ...]}
"findings" is the exact list the JSON entry point must report (validate_invoice_json /
validate_ewaybill_json), in order; [] for a document that passes.

The documents start from the consistent model vectors (tests/vectors/einvoice/*.json "canonical",
tests/vectors/ewaybill/generate-*.json), which pass every rule. Each failing case changes one
thing, and its expected findings are written here by hand from NIC's rules (nic-rules parts A-C),
in canonical paths; the flat and NIC variants map those paths with tables written from the
dialects' field lists, independently of the Rust code. Amounts are Decimals, written as exact
JSON numbers.

Run: python3 tests/vectors/validation/make_vectors.py          (rewrites the *.json files)
     python3 tests/vectors/validation/make_vectors.py --check  (fails if a file is out of date)
"""
import copy
import json
import re
import sys
from decimal import Decimal, ROUND_HALF_UP
from pathlib import Path

HERE = Path(__file__).resolve().parent
VECTORS = HERE.parent
CHARSET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
D = Decimal


def gstin(first14):
    """Appends the mod-36 check character (nic-rules B.3)."""
    total = 0
    for i, c in enumerate(first14):
        p = CHARSET.index(c) * (1 if i % 2 == 0 else 2)
        total += p // 36 + p % 36
    return first14 + CHARSET[(36 - total % 36) % 36]


def bad_check(g):
    """The same GSTIN with a wrong check character."""
    wrong = "A" if g[14] != "A" else "B"
    return g[:14] + wrong


# ---------------------------------------------------------------------------------------------
# Loading, mutating, writing

def load_einvoice(name):
    with open(VECTORS / "einvoice" / f"{name}.json") as f:
        return json.load(f, parse_float=Decimal, parse_int=Decimal)["canonical"]


def load_ewaybill(name):
    with open(VECTORS / "ewaybill" / f"{name}.json") as f:
        return json.load(f, parse_float=Decimal, parse_int=Decimal)["canonical"]


def load_flat_quickstart():
    with open(VECTORS / "einvoice" / "flat-quickstart.json") as f:
        return json.load(f, parse_float=Decimal, parse_int=Decimal)["input"]


def tokens(path):
    return [t.replace("~1", "/").replace("~0", "~") for t in path.split("/")[1:]]


def edit(doc, *changes):
    """A copy of doc with (pointer, value) changes applied; value DELETE removes the field."""
    doc = copy.deepcopy(doc)
    for path, value in changes:
        parts = tokens(path)
        target = doc
        for p in parts[:-1]:
            target = target[int(p)] if isinstance(target, list) else target[p]
        last = parts[-1]
        if isinstance(target, list):
            if value is DELETE:
                del target[int(last)]
            else:
                target[int(last)] = value
        elif value is DELETE:
            target.pop(last, None)
        else:
            target[last] = value
    return doc


DELETE = object()


def to_json(obj):
    """Decimals as exact JSON numbers (integers without a fraction stay integers)."""
    def mark(o):
        if isinstance(o, Decimal):
            return "#" + format(o, "f")
        if isinstance(o, dict):
            return {k: mark(v) for k, v in o.items()}
        if isinstance(o, list):
            return [mark(v) for v in o]
        return o
    text = json.dumps(mark(obj), indent=1, ensure_ascii=False)
    return re.sub(r'"#(-?[0-9.]+)"', r"\1", text) + "\n"


def z(x):
    return x if x is not None else D(0)


# ---------------------------------------------------------------------------------------------
# E-invoice arithmetic, to keep changed documents consistent (nic-rules B.2)

ITEM_TAXES = ("igstAmount", "cgstAmount", "sgstAmount", "cessAmount", "cessNonAdvolAmount",
              "stateCessAmount", "stateCessNonAdvolAmount", "otherCharges")


def item_total(it, with_gst=True):
    keys = ITEM_TAXES if with_gst else ITEM_TAXES[3:]
    return it["assessableAmount"] + sum((z(it.get(k)) for k in keys), D(0))


def retotal(c, item_totals=True):
    """Recomputes line totals (unless told not to) and every document total from the items."""
    c = copy.deepcopy(c)
    items = c["items"]
    if item_totals:
        for it in items:
            it["totalItemValue"] = item_total(it)
    v = c["valueDetails"]
    v["assessableValue"] = sum((it["assessableAmount"] for it in items), D(0))
    for src, dst in (("cgstAmount", "cgstValue"), ("sgstAmount", "sgstValue"), ("igstAmount", "igstValue")):
        if any(src in it for it in items):
            v[dst] = sum((z(it.get(src)) for it in items), D(0))
        else:
            v.pop(dst, None)
    for srcs, dst in ((("cessAmount", "cessNonAdvolAmount"), "cessValue"),
                      (("stateCessAmount", "stateCessNonAdvolAmount"), "stateCessValue")):
        if any(s in it for it in items for s in srcs):
            v[dst] = sum((z(it.get(s)) for it in items for s in srcs), D(0))
        else:
            v.pop(dst, None)
    v["totalInvoiceValue"] = (sum((it["totalItemValue"] for it in items), D(0)) - z(v.get("discount"))
                              + z(v.get("otherCharges")) + z(v.get("roundOffAmount")))
    return c


def to_igst(c):
    """Every item's CGST + SGST moved to IGST."""
    c = copy.deepcopy(c)
    for it in c["items"]:
        tax = z(it.pop("cgstAmount", None)) + z(it.pop("sgstAmount", None))
        it["igstAmount"] = tax
    return retotal(c)


def to_cgst_sgst(c):
    """Every item's IGST split into CGST and SGST halves (to the paisa; SGST takes the odd paisa)."""
    c = copy.deepcopy(c)
    for it in c["items"]:
        tax = z(it.pop("igstAmount", None))
        half = (tax / 2).quantize(D("0.01"), rounding=ROUND_HALF_UP)
        it["cgstAmount"] = half
        it["sgstAmount"] = tax - half
    return retotal(c)


# ---------------------------------------------------------------------------------------------
# Dialects: canonical -> flat and NIC, for documents and paths

FLAT_DOCUMENT = {"type": "documentType", "number": "invoiceNumber", "date": "invoiceDate"}
FLAT_TOTALS = {"assessableValue": "assessableValue", "cgstValue": "totalCgstValue", "sgstValue": "totalSgstValue",
               "igstValue": "totalIgstValue", "cessValue": "totalCessValue", "stateCessValue": "totalStateCessValue",
               "discount": "totalDiscount", "otherCharges": "totalOtherCharges", "roundOffAmount": "roundOffAmount",
               "totalInvoiceValue": "totalInvoiceValue",
               "totalInvoiceValueForeignCurrency": "totalInvoiceValueForeignCurrency"}
FLAT_LINE = {"serialNumber": "lineNumber", "assessableAmount": "assessableValue"}
PARTIES = ("seller", "buyer", "dispatchFrom", "shipTo")


def to_flat(c):
    f = {}
    t = c["transactionDetails"]
    f["supplyType"] = t["supplyType"]
    for k in ("reverseCharge", "ecomGstin", "igstOnIntra"):
        if k in t:
            f[k] = t[k]
    for k, v in c["documentDetails"].items():
        f[FLAT_DOCUMENT[k]] = v
    f["placeOfSupplyStateCode"] = c["buyer"]["placeOfSupplyStateCode"]
    for p in PARTIES:
        if p in c:
            f[p] = {("pinCode" if k == "pincode" else k): v for k, v in c[p].items()
                    if k != "placeOfSupplyStateCode"}
    f["lines"] = [{FLAT_LINE.get(k, k): v for k, v in it.items()} for it in c["items"]]
    for line in f["lines"]:
        if re.fullmatch(r"[0-9]+", line["lineNumber"]):
            line["lineNumber"] = D(line["lineNumber"])
    f["totals"] = {FLAT_TOTALS[k]: v for k, v in c["valueDetails"].items()}
    for k in ("paymentDetails", "referenceDetails", "additionalDocuments", "exportDetails", "eWayBillDetails"):
        if k in c:
            f[k] = c[k]
    return f


def flat_path(path):
    t = path.split("/")[1:]
    if not t:
        return path
    if t[0] == "documentDetails":
        return "/" + "/".join([FLAT_DOCUMENT[t[1]]] + t[2:]) if len(t) > 1 else ""
    if t[0] == "transactionDetails":
        return "/" + "/".join(t[1:]) if len(t) > 1 else ""
    if t[0] == "buyer" and len(t) > 1 and t[1] == "placeOfSupplyStateCode":
        return "/placeOfSupplyStateCode"
    if t[0] in PARTIES and len(t) > 1 and t[1] == "pincode":
        return f"/{t[0]}/pinCode"
    if t[0] == "items":
        rest = t[1:]
        if len(rest) >= 2:
            rest[1] = FLAT_LINE.get(rest[1], rest[1])
        return "/" + "/".join(["lines"] + rest)
    if t[0] == "valueDetails":
        return "/totals" + ("/" + FLAT_TOTALS[t[1]] if len(t) > 1 else "")
    return path


NIC_TOP = {"documentDetails": "DocDtls", "transactionDetails": "TranDtls", "seller": "SellerDtls",
           "buyer": "BuyerDtls", "dispatchFrom": "DispDtls", "shipTo": "ShipDtls", "items": "ItemList",
           "valueDetails": "ValDtls", "paymentDetails": "PayDtls", "referenceDetails": "RefDtls",
           "additionalDocuments": "AddlDocDtls", "exportDetails": "ExpDtls", "eWayBillDetails": "EwbDtls"}
NIC_PARTY = {"gstin": "Gstin", "name": "Nm", "legalName": "LglNm", "tradeName": "TrdNm",
             "placeOfSupplyStateCode": "Pos", "address1": "Addr1", "address2": "Addr2", "location": "Loc",
             "pincode": "Pin", "stateCode": "Stcd", "phone": "Ph", "email": "Em"}
NIC_BLOCK = {
    "documentDetails": {"type": "Typ", "number": "No", "date": "Dt"},
    "transactionDetails": {"taxScheme": "TaxSch", "supplyType": "SupTyp", "reverseCharge": "RegRev",
                           "ecomGstin": "EcmGstin", "igstOnIntra": "IgstOnIntra"},
    "seller": NIC_PARTY, "buyer": NIC_PARTY, "dispatchFrom": NIC_PARTY, "shipTo": NIC_PARTY,
    "items": {"serialNumber": "SlNo", "productDescription": "PrdDesc", "isService": "IsServc", "hsnCode": "HsnCd",
              "barcode": "Barcde", "quantity": "Qty", "freeQuantity": "FreeQty", "unit": "Unit",
              "unitPrice": "UnitPrice", "totalAmount": "TotAmt", "discount": "Discount", "preTaxValue": "PreTaxVal",
              "assessableAmount": "AssAmt", "gstRate": "GstRt", "igstAmount": "IgstAmt", "cgstAmount": "CgstAmt",
              "sgstAmount": "SgstAmt", "cessRate": "CesRt", "cessAmount": "CesAmt",
              "cessNonAdvolAmount": "CesNonAdvlAmt", "stateCessRate": "StateCesRt",
              "stateCessAmount": "StateCesAmt", "stateCessNonAdvolAmount": "StateCesNonAdvlAmt",
              "otherCharges": "OthChrg", "totalItemValue": "TotItemVal", "orderLineReference": "OrdLineRef",
              "originCountry": "OrgCntry", "productSerialNumber": "PrdSlNo", "batch": "BchDtls",
              "attributes": "AttribDtls"},
    "batch": {"name": "Nm", "expiryDate": "ExpDt", "warrantyDate": "WrDt"},
    "attributes": {"name": "Nm", "value": "Val"},
    "valueDetails": {"assessableValue": "AssVal", "cgstValue": "CgstVal", "sgstValue": "SgstVal",
                     "igstValue": "IgstVal", "cessValue": "CesVal", "stateCessValue": "StCesVal",
                     "discount": "Discount", "otherCharges": "OthChrg", "roundOffAmount": "RndOffAmt",
                     "totalInvoiceValue": "TotInvVal", "totalInvoiceValueForeignCurrency": "TotInvValFc"},
    "paymentDetails": {"payeeName": "Nm", "accountDetails": "AccDet", "mode": "Mode",
                       "financialInstitutionBranch": "FinInsBr", "paymentTerms": "PayTerm",
                       "paymentInstruction": "PayInstr", "creditTransfer": "CrTrn", "directDebit": "DirDr",
                       "creditDays": "CrDay", "paidAmount": "PaidAmt", "paymentDue": "PaymtDue"},
    "referenceDetails": {"invoiceRemarks": "InvRm", "documentPeriod": "DocPerdDtls",
                         "precedingDocuments": "PrecDocDtls", "contracts": "ContrDtls"},
    "documentPeriod": {"startDate": "InvStDt", "endDate": "InvEndDt"},
    "precedingDocuments": {"number": "InvNo", "date": "InvDt", "otherReference": "OthRefNo"},
    "contracts": {"receiptAdviceReference": "RecAdvRefr", "receiptAdviceDate": "RecAdvDt",
                  "tenderReference": "TendRefr", "contractReference": "ContrRefr", "externalReference": "ExtRefr",
                  "projectReference": "ProjRefr", "poReference": "PORefr", "poReferenceDate": "PORefDt"},
    "additionalDocuments": {"url": "Url", "document": "Docs", "info": "Info"},
    "exportDetails": {"shippingBillNumber": "ShipBNo", "shippingBillDate": "ShipBDt", "portCode": "Port",
                      "refundClaim": "RefClm", "foreignCurrency": "ForCur", "countryCode": "CntCode",
                      "exportDuty": "ExpDuty"},
    "eWayBillDetails": {"transporterId": "TransId", "transporterName": "TransName", "transportMode": "TransMode",
                        "distance": "Distance", "transportDocumentNumber": "TransDocNo",
                        "transportDocumentDate": "TransDocDt", "vehicleNumber": "VehNo", "vehicleType": "VehType"},
}
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def nic_value(v):
    if isinstance(v, str):
        m = ISO_DATE.match(v)
        if m:
            return f"{m.group(3)}/{m.group(2)}/{m.group(1)}"
    return v


def nic_rename(obj, block):
    if isinstance(obj, list):
        return [nic_rename(x, block) for x in obj]
    if not isinstance(obj, dict):
        return nic_value(obj)
    table = NIC_BLOCK.get(block, {})
    return {table.get(k, k): nic_rename(v, k) if isinstance(v, (dict, list)) else nic_value(v)
            for k, v in obj.items()}


def to_nic(c):
    n = {"Version": "1.1"}
    for k, v in c.items():
        n[NIC_TOP[k]] = nic_rename(v, k)
    return n


def nic_path(path):
    out, block = [], ""
    for t in path.split("/")[1:]:
        if t.isdigit():
            out.append(t)
            continue
        out.append((NIC_TOP if block == "" else NIC_BLOCK.get(block, {})).get(t, t))
        block = t
    return "".join("/" + t for t in out)


# E-way bill: canonical -> NIC GENEWAYBILL (flat keys, numeric state codes, dd/mm/yyyy dates).
EWB_PARTY = {"gstin": "Gstin", "tradeName": "TrdName", "address1": "Addr1", "address2": "Addr2",
             "place": "Place", "pincode": "Pincode", "stateCode": "StateCode"}
EWB_ITEM = {"itemNumber": "itemNo", "productDescription": "productDesc", "unit": "qtyUnit",
            "cessNonAdvol": "cessNonadvol"}
EWB_TRANSPORT = {"mode": "transMode", "distance": "transDistance", "documentNumber": "transDocNo",
                 "documentDate": "transDocDate", "vehicleNumber": "vehicleNo"}


def ewb_to_nic(c):
    n = {}
    for k, v in c.items():
        if k == "documentDetails":
            n["docType"], n["docNo"], n["docDate"] = v["type"], v["number"], nic_value(v["date"])
        elif k == "subSupplyDescription":
            n["subSupplyDesc"] = v
        elif k in ("from", "to"):
            for pk, pv in v.items():
                if pk == "actualStateCode":
                    n["actFromStateCode" if k == "from" else "actToStateCode"] = D(pv)
                elif pk == "stateCode":
                    n[k + "StateCode"] = D(pv)
                else:
                    n[k + EWB_PARTY[pk]] = pv
        elif k == "items":
            n["itemList"] = [{EWB_ITEM.get(ik, ik): iv for ik, iv in it.items()} for it in v]
        elif k == "valueDetails":
            for vk, vv in v.items():
                n["totInvValue" if vk == "totalInvoiceValue" else vk] = vv
        elif k == "transport":
            for tk, tv in v.items():
                key = EWB_TRANSPORT.get(tk, tk)
                if tk == "distance":
                    tv = str(tv)
                elif tk == "documentDate":
                    tv = nic_value(tv)
                n[key] = tv
        else:
            n[k] = v
    return n


def ewb_nic_path(path):
    t = path.split("/")[1:]
    if not t:
        return path
    if t[0] == "documentDetails":
        return "/" + {"type": "docType", "number": "docNo", "date": "docDate"}[t[1]]
    if t[0] == "subSupplyDescription":
        return "/subSupplyDesc"
    if t[0] in ("from", "to"):
        if t[1] == "actualStateCode":
            return "/actFromStateCode" if t[0] == "from" else "/actToStateCode"
        return "/" + t[0] + EWB_PARTY[t[1]]
    if t[0] == "items":
        rest = t[1:]
        if len(rest) >= 2:
            rest[1] = EWB_ITEM.get(rest[1], rest[1])
        return "/" + "/".join(["itemList"] + rest)
    if t[0] == "valueDetails":
        return "/" + ("totInvValue" if t[1] == "totalInvoiceValue" else t[1])
    if t[0] == "transport":
        return "/" + EWB_TRANSPORT.get(t[1], t[1])
    return path


# ---------------------------------------------------------------------------------------------
# Cases

FILES = {}


def F(path, code, nic=None, severity="error", schema=False):
    """An expected finding, in canonical paths. schema=True marks a shape finding, which in the
    NIC dialect carries NIC's "not as per schema" code 2140."""
    return {"path": path, "code": code, "nicCode": nic, "severity": severity, "schema": schema}


def W(path, code, nic=None):
    return F(path, code, nic, "warning")


def add(file, description, document, findings=(), options=None, dialect="canonical", kind="einvoice"):
    if kind == "einvoice":
        mapper = {"canonical": lambda p: p, "flat": flat_path, "nic": nic_path}[dialect]
        doc = {"canonical": lambda d: d, "flat": to_flat, "nic": to_nic}[dialect](document)
    else:
        mapper = {"canonical": lambda p: p, "nic": ewb_nic_path}[dialect]
        doc = {"canonical": lambda d: d, "nic": ewb_to_nic}[dialect](document)
    out = []
    for f in findings:
        nic = f["nicCode"]
        if f["schema"] and dialect == "nic" and kind == "einvoice":
            nic = "2140"
        out.append({"path": mapper(f["path"]), "code": f["code"], "nicCode": nic, "severity": f["severity"]})
    FILES.setdefault(file, []).append({
        "description": f"{description} [{kind}, {dialect}]",
        "kind": kind,
        "options": options or {},
        "document": doc,
        "findings": out,
    })


# The model vectors, each consistent and valid. b2b-intra's batch expiry date 2030-11-30 is outside
# NIC's date pattern (years 2010-2029, nic-rules A.3.2), which the shape layer reports; it is moved
# into 2029 here so that the base document passes every layer.
B2B_INTRA = edit(load_einvoice("b2b-intra"), ("/items/0/batch/expiryDate", "2029-11-30"))
B2B_INTER = load_einvoice("b2b-inter")
SEZWP = load_einvoice("sezwp")
EXPWP = load_einvoice("expwp")
DEXP = load_einvoice("dexp")
CRN = load_einvoice("crn")
DISPATCH_SHIP = load_einvoice("dispatch-ship")
WITH_EWB = load_einvoice("with-ewb")
QUICKSTART = load_flat_quickstart()

SANDBOX = {"sandbox": True}
NOW = "2026-11-22T10:00:00+05:30"


def seeds():
    file = "einvoice-seeds.json"
    for name, c in (("b2b-intra", B2B_INTRA), ("b2b-inter", B2B_INTER), ("sezwp", SEZWP), ("expwp", EXPWP),
                    ("dexp", DEXP), ("crn", CRN), ("dispatch-ship", DISPATCH_SHIP), ("with-ewb", WITH_EWB)):
        add(file, f"model vector {name}: consistent, passes every rule", c)
        add(file, f"model vector {name} with the clock and a large turnover: still passes", c,
            options={"now": NOW, "aggregateTurnover": 1000000000})
    for name, c in (("b2b-intra", B2B_INTRA), ("b2b-inter", B2B_INTER), ("expwp", EXPWP), ("crn", CRN)):
        add(file, f"model vector {name} in the flat dialect", c, dialect="flat")
    for name, c in (("b2b-inter", B2B_INTER), ("sezwp", SEZWP), ("with-ewb", WITH_EWB)):
        add(file, f"model vector {name} in NIC's v1.1 JSON", c, dialect="nic")

    # The seed-002 quickstart body, verbatim: place of supply 29 = the seller's state, with IGST.
    quick = "einvoice-quickstart.json"
    FILES.setdefault(quick, []).append({
        "description": "seed-002 quickstart body verbatim: intra-state by place of supply with IGST (2172), "
                       "and its example GSTINs fail the check character [einvoice, flat]",
        "kind": "einvoice", "options": {}, "document": QUICKSTART,
        "findings": [
            {"path": "/seller/gstin", "code": "gstin.check_character", "nicCode": "3028", "severity": "error"},
            {"path": "/buyer/gstin", "code": "gstin.check_character", "nicCode": "3028", "severity": "error"},
            {"path": "/lines/0/igstAmount", "code": "tax.igst_on_intra_state", "nicCode": "2172", "severity": "error"},
        ]})
    FILES[quick].append({
        "description": "seed-002 quickstart body in sandbox mode: the check character is off, 2172 remains "
                       "[einvoice, flat]",
        "kind": "einvoice", "options": SANDBOX, "document": QUICKSTART,
        "findings": [
            {"path": "/lines/0/igstAmount", "code": "tax.igst_on_intra_state", "nicCode": "2172", "severity": "error"},
        ]})
    fixed = edit(QUICKSTART, ("/placeOfSupplyStateCode", "27"))
    FILES[quick].append({
        "description": "seed-002 quickstart body with place of supply 27 (the buyer's state), sandbox: "
                       "inter-state, IGST is right [einvoice, flat]",
        "kind": "einvoice", "options": SANDBOX, "document": fixed, "findings": []})


def party_cases():
    file = "einvoice-party.json"
    seller = B2B_INTER["seller"]["gstin"]
    add(file, "seller GSTIN with a wrong check character (3028)",
        edit(B2B_INTER, ("/seller/gstin", bad_check(seller))),
        [F("/seller/gstin", "gstin.check_character", "3028")])
    add(file, "seller GSTIN with a wrong check character (3028)",
        edit(B2B_INTER, ("/seller/gstin", bad_check(seller))),
        [F("/seller/gstin", "gstin.check_character", "3028")], dialect="flat")
    add(file, "seller GSTIN with a wrong check character (3028)",
        edit(B2B_INTER, ("/seller/gstin", bad_check(seller))),
        [F("/seller/gstin", "gstin.check_character", "3028")], dialect="nic")
    add(file, "seller GSTIN with a wrong check character in sandbox mode: not checked",
        edit(B2B_INTER, ("/seller/gstin", bad_check(seller))), options=SANDBOX)
    add(file, "NIC sandbox GSTIN 29AWGPV7107B1Z1 as seller, sandbox mode: passes",
        edit(B2B_INTER, ("/seller/gstin", "29AWGPV7107B1Z1")), options=SANDBOX)
    add(file, "NIC sandbox GSTIN 29AWGPV7107B1Z1 as seller, production mode: check character fails",
        edit(B2B_INTER, ("/seller/gstin", "29AWGPV7107B1Z1")),
        [F("/seller/gstin", "gstin.check_character", "3028")])
    add(file, "buyer GSTIN with a wrong check character (3028)",
        edit(B2B_INTER, ("/buyer/gstin", bad_check(B2B_INTER["buyer"]["gstin"]))),
        [F("/buyer/gstin", "gstin.check_character", "3028")])
    add(file, "seller GSTIN in no GSTIN format (letter O for the digit 0)",
        edit(B2B_INTER, ("/seller/gstin", "29AAFCC998OM1ZR")),
        [F("/seller/gstin", "gstin.format", "3028")])
    tds = gstin("29BLRA12345B1D")
    add(file, "seller is a TDS registration, not a regular taxpayer (2300)",
        edit(B2B_INTER, ("/seller/gstin", tds)),
        [F("/seller/gstin", "gstin.supplier_kind", "2300")])
    add(file, "supplier and recipient GSTIN are the same (2211)",
        edit(B2B_INTRA, ("/buyer/gstin", B2B_INTRA["seller"]["gstin"])),
        [F("/buyer/gstin", "gstin.same_supplier_recipient", "2211")])
    add(file, "supplier and recipient GSTIN are the same (2211)",
        edit(B2B_INTRA, ("/buyer/gstin", B2B_INTRA["seller"]["gstin"])),
        [F("/buyer/gstin", "gstin.same_supplier_recipient", "2211")], dialect="flat")
    add(file, "seller GSTIN of Maharashtra with seller state code 29 (2258)",
        edit(B2B_INTRA, ("/seller/gstin", "27AAPFU0939F1ZV")),
        [F("/seller/stateCode", "gstin.state_mismatch", "2258")])
    add(file, "buyer GSTIN of Uttarakhand with buyer state code 27 (2265)",
        edit(B2B_INTER, ("/buyer/gstin", "05AAACG2115R1ZN")),
        [F("/buyer/stateCode", "gstin.state_mismatch", "2265")])
    add(file, "buyer GSTIN of Uttarakhand with buyer state code 27 (2265)",
        edit(B2B_INTER, ("/buyer/gstin", "05AAACG2115R1ZN")),
        [F("/buyer/stateCode", "gstin.state_mismatch", "2265")], dialect="nic")
    add(file, "seller state code 28 is not in the state master (2259)",
        edit(B2B_INTER, ("/seller/stateCode", "28")),
        [F("/seller/stateCode", "state.unknown", "2259")])
    add(file, "buyer state code 45 is not in the state master (2260)",
        edit(B2B_INTER, ("/buyer/stateCode", "45")),
        [F("/buyer/stateCode", "state.unknown", "2260")])
    add(file, "place of supply 45 is not in the state master",
        edit(B2B_INTER, ("/buyer/placeOfSupplyStateCode", "45")),
        [F("/buyer/placeOfSupplyStateCode", "state.unknown")])
    add(file, "buyer PIN 400001 (Maharashtra) with buyer state 29 (2178)",
        edit(B2B_INTRA, ("/buyer/pincode", D(400001))),
        [F("/buyer/pincode", "pin.state_mismatch", "2178")])
    add(file, "buyer PIN 400001 (Maharashtra) with buyer state 29 (2178)",
        edit(B2B_INTRA, ("/buyer/pincode", D(400001))),
        [F("/buyer/pincode", "pin.state_mismatch", "2178")], dialect="flat")
    add(file, "buyer PIN 400001 with buyer state 29, PIN mismatch configured as a warning",
        edit(B2B_INTRA, ("/buyer/pincode", D(400001))),
        [W("/buyer/pincode", "pin.state_mismatch", "2178")], options={"pinStateMismatch": "warning"})
    add(file, "seller PIN 110001 (Delhi) with seller state 29 (2178)",
        edit(B2B_INTER, ("/seller/pincode", D(110001))),
        [F("/seller/pincode", "pin.state_mismatch", "2178")])
    add(file, "buyer PIN 403001 may belong to Maharashtra or Goa: passes for state 27",
        edit(B2B_INTER, ("/buyer/pincode", D(403001))))
    ts = gstin("36AABCT1332L1Z")
    add(file, "buyer in Telangana (no PIN data in the master): any Indian PIN passes",
        edit(B2B_INTER, ("/buyer/gstin", ts), ("/buyer/stateCode", "36"), ("/buyer/placeOfSupplyStateCode", "36"),
             ("/buyer/pincode", D(500001))))
    add(file, "dispatch-from PIN 560001 (Karnataka) with dispatch state 33 (2178)",
        edit(DISPATCH_SHIP, ("/dispatchFrom/pincode", D(560001))),
        [F("/dispatchFrom/pincode", "pin.state_mismatch", "2178")])
    add(file, "ship-to PIN 400001 with ship-to state 24 (2178)",
        edit(DISPATCH_SHIP, ("/shipTo/pincode", D(400001))),
        [F("/shipTo/pincode", "pin.state_mismatch", "2178")])
    add(file, "ship-to GSTIN with a wrong check character",
        edit(DISPATCH_SHIP, ("/shipTo/gstin", bad_check(DISPATCH_SHIP["shipTo"]["gstin"]))),
        [F("/shipTo/gstin", "gstin.check_character", "3028")])
    add(file, "ship-to GSTIN URP: allowed",
        edit(DISPATCH_SHIP, ("/shipTo/gstin", "URP")))
    add(file, "e-commerce GSTIN is a regular GSTIN, not TCS (2195)",
        edit(B2B_INTER, ("/transactionDetails/ecomGstin", "27AAPFU0939F1ZV")),
        [F("/transactionDetails/ecomGstin", "gstin.ecom_not_tcs", "2195")])
    add(file, "e-commerce GSTIN is a TCS GSTIN: passes",
        edit(B2B_INTER, ("/transactionDetails/ecomGstin", gstin("29AAFCC9980M1C"))))


def supply_cases():
    file = "einvoice-supply.json"
    add(file, "B2B to URP (2212)", edit(B2B_INTER, ("/buyer/gstin", "URP")),
        [F("/buyer/gstin", "supply.recipient_urp", "2212")])
    add(file, "B2B to URP (2212)", edit(B2B_INTER, ("/buyer/gstin", "URP")),
        [F("/buyer/gstin", "supply.recipient_urp", "2212")], dialect="flat")
    add(file, "SEZWP to URP: the recipient must be an SEZ (2247)", edit(SEZWP, ("/buyer/gstin", "URP")),
        [F("/buyer/gstin", "supply.sez_recipient_urp", "2247")])
    add(file, "DEXP to URP (2171)", edit(DEXP, ("/buyer/gstin", "URP")),
        [F("/buyer/gstin", "supply.deemed_export_urp", "2171")])
    add(file, "export to a registered buyer: the recipient must be URP (2248)",
        edit(EXPWP, ("/buyer/gstin", "27AAPFU0939F1ZV")),
        [F("/buyer/gstin", "supply.export_recipient_not_urp", "2248")])
    add(file, "export with place of supply 29 (the seller's state): 2181 and 2229",
        edit(EXPWP, ("/buyer/placeOfSupplyStateCode", "29")),
        [F("/buyer/placeOfSupplyStateCode", "supply.export_intra_state", "2181"),
         F("/buyer/placeOfSupplyStateCode", "supply.export_place_of_supply", "2229")])
    add(file, "export with place of supply 27: must be 96 (2229)",
        edit(EXPWP, ("/buyer/placeOfSupplyStateCode", "27")),
        [F("/buyer/placeOfSupplyStateCode", "supply.export_place_of_supply", "2229")])
    add(file, "export with place of supply 27: must be 96 (2229)",
        edit(EXPWP, ("/buyer/placeOfSupplyStateCode", "27")),
        [F("/buyer/placeOfSupplyStateCode", "supply.export_place_of_supply", "2229")], dialect="nic")
    add(file, "export with the buyer in state 27 (2261)",
        edit(EXPWP, ("/buyer/stateCode", "27"), ("/buyer/pincode", D(400001))),
        [F("/buyer/stateCode", "supply.export_recipient_state", "2261")])
    add(file, "export buyer in state 96 with an Indian PIN (2178)",
        edit(EXPWP, ("/buyer/pincode", D(400001))),
        [F("/buyer/pincode", "pin.state_mismatch", "2178")])
    add(file, "export without export details (2208)", edit(EXPWP, ("/exportDetails", DELETE)),
        [F("/exportDetails", "supply.export_details_required", "2208")])
    add(file, "export without export details (2208)", edit(EXPWP, ("/exportDetails", DELETE)),
        [F("/exportDetails", "supply.export_details_required", "2208")], dialect="flat")
    add(file, "export charged CGST and SGST (2180)", to_cgst_sgst(EXPWP),
        [F("/items/0/cgstAmount", "tax.cgst_sgst_on_export", "2180")])
    add(file, "supply to an SEZ charged CGST and SGST (2237)", to_cgst_sgst(SEZWP),
        [F("/items/0/cgstAmount", "tax.cgst_sgst_on_sez", "2237")])
    add(file, "reverse charge on an export (2162)", edit(EXPWP, ("/transactionDetails/reverseCharge", "Y")),
        [F("/transactionDetails/reverseCharge", "supply.reverse_charge", "2162")])
    add(file, "reverse charge on a deemed export (2162)", edit(DEXP, ("/transactionDetails/reverseCharge", "Y")),
        [F("/transactionDetails/reverseCharge", "supply.reverse_charge", "2162")])
    add(file, "reverse charge on a supply to an SEZ: allowed", edit(SEZWP, ("/transactionDetails/reverseCharge", "Y")))
    add(file, "IgstOnIntra = Y across states (2262)", edit(B2B_INTER, ("/transactionDetails/igstOnIntra", "Y")),
        [F("/transactionDetails/igstOnIntra", "supply.igst_on_intra_other_state", "2262")])
    add(file, "IgstOnIntra = Y within Karnataka with IGST: passes",
        edit(to_igst(B2B_INTRA), ("/transactionDetails/igstOnIntra", "Y")))
    add(file, "IgstOnIntra = Y within Karnataka but CGST and SGST charged",
        edit(B2B_INTRA, ("/transactionDetails/igstOnIntra", "Y")),
        [F("/items/0/cgstAmount", "tax.cgst_sgst_with_igst_on_intra"),
         F("/items/1/cgstAmount", "tax.cgst_sgst_with_igst_on_intra")])
    add(file, "intra-state supply charged IGST (2172 on each item)", to_igst(B2B_INTRA),
        [F("/items/0/igstAmount", "tax.igst_on_intra_state", "2172"),
         F("/items/1/igstAmount", "tax.igst_on_intra_state", "2172")])
    add(file, "intra-state supply charged IGST (2172 on each item)", to_igst(B2B_INTRA),
        [F("/items/0/igstAmount", "tax.igst_on_intra_state", "2172"),
         F("/items/1/igstAmount", "tax.igst_on_intra_state", "2172")], dialect="flat")
    add(file, "intra-state supply charged IGST (2172 on each item)", to_igst(B2B_INTRA),
        [F("/items/0/igstAmount", "tax.igst_on_intra_state", "2172"),
         F("/items/1/igstAmount", "tax.igst_on_intra_state", "2172")], dialect="nic")
    add(file, "inter-state supply charged CGST and SGST (2174 on each item)", to_cgst_sgst(B2B_INTER),
        [F("/items/0/cgstAmount", "tax.cgst_sgst_on_inter_state", "2174"),
         F("/items/1/cgstAmount", "tax.cgst_sgst_on_inter_state", "2174")])
    add(file, "inter-state supply charged CGST and SGST (2174 on each item)", to_cgst_sgst(B2B_INTER),
        [F("/items/0/cgstAmount", "tax.cgst_sgst_on_inter_state", "2174"),
         F("/items/1/cgstAmount", "tax.cgst_sgst_on_inter_state", "2174")], dialect="flat")
    add(file, "intra-state item with SGST one paisa above CGST (2227)",
        retotal(edit(B2B_INTRA, ("/items/1/sgstAmount", D("472.51")))),
        [F("/items/1/sgstAmount", "tax.cgst_sgst_unequal", "2227")])


def document_cases():
    file = "einvoice-document.json"
    add(file, "document number with lower case: NIC rejects it (nic-rules A.3)",
        edit(B2B_INTER, ("/documentDetails/number", "acm/26-27/0002")),
        [F("/documentDetails/number", "document.number_lowercase")])
    add(file, "document number with lower case: NIC rejects it (nic-rules A.3)",
        edit(B2B_INTER, ("/documentDetails/number", "acm/26-27/0002")),
        [F("/documentDetails/number", "document.number_lowercase")], dialect="flat")
    add(file, "document number with lower case, configured as a warning",
        edit(B2B_INTER, ("/documentDetails/number", "Acm/26-27/0002")),
        [W("/documentDetails/number", "document.number_lowercase")], options={"lowercaseDocumentNumber": "warning"})
    add(file, "document number of 16 characters: passes",
        edit(B2B_INTER, ("/documentDetails/number", "ACM/26-27/000002")))
    add(file, "document date in the future (2163)", CRN,
        [F("/documentDetails/date", "document.date_future", "2163")], options={"now": "2026-11-21T23:00:00+05:30"})
    add(file, "document date in the future (2163)", CRN,
        [F("/documentDetails/date", "document.date_future", "2163")], options={"now": "2026-11-21T23:00:00+05:30"},
        dialect="nic")
    add(file, "document dated today in IST though yesterday in UTC: not in the future", CRN,
        options={"now": "2026-11-21T19:00:00Z"})
    add(file, "document dated 30 days before today, turnover 15 crore: past the reporting limit (2305)",
        B2B_INTRA, [F("/documentDetails/date", "document.reporting_window", "2305")],
        options={"now": "2026-12-20T10:00:00+05:30", "aggregateTurnover": 150000000})
    add(file, "document dated 30 days before today, turnover 15 crore: past the reporting limit (2305)",
        B2B_INTRA, [F("/documentDetails/date", "document.reporting_window", "2305")],
        options={"now": "2026-12-20T10:00:00+05:30", "aggregateTurnover": 150000000}, dialect="flat")
    add(file, "document dated 29 days before today, turnover 15 crore: within the limit", B2B_INTRA,
        options={"now": "2026-12-19T10:00:00+05:30", "aggregateTurnover": 150000000})
    add(file, "document dated 60 days before today, turnover 9 crore: the limit does not apply", B2B_INTRA,
        options={"now": "2027-01-19T10:00:00+05:30", "aggregateTurnover": 90000000})
    add(file, "document dated 60 days before today, turnover unknown: the limit is not checked", B2B_INTRA,
        options={"now": "2027-01-19T10:00:00+05:30"})
    add(file, "reporting window configured to 90 days: 60 days old passes", B2B_INTRA,
        options={"now": "2027-01-19T10:00:00+05:30", "aggregateTurnover": 150000000, "reportingWindowDays": 90})
    add(file, "document dated before 01-10-2020, the start of e-invoicing",
        edit(B2B_INTER, ("/documentDetails/date", "2020-09-30")),
        [F("/documentDetails/date", "document.date_before_einvoicing")])
    add(file, "credit note without the original invoice (2191)", edit(CRN, ("/referenceDetails", DELETE)),
        [F("/referenceDetails/precedingDocuments", "reference.preceding_document_required", "2191")])
    add(file, "credit note without the original invoice (2191)", edit(CRN, ("/referenceDetails", DELETE)),
        [F("/referenceDetails/precedingDocuments", "reference.preceding_document_required", "2191")], dialect="nic")
    add(file, "debit note without the original invoice (2191)",
        edit(CRN, ("/documentDetails/type", "DBN"), ("/referenceDetails", DELETE)),
        [F("/referenceDetails/precedingDocuments", "reference.preceding_document_required", "2191")])
    add(file, "debit note with the original invoice: passes", edit(CRN, ("/documentDetails/type", "DBN")))
    add(file, "tax invoice with a preceding document (2210)",
        edit(B2B_INTER, ("/referenceDetails/precedingDocuments",
                         [{"number": "ACM/26-27/0001", "date": "2026-11-20"}])),
        [F("/referenceDetails/precedingDocuments", "reference.preceding_document_not_allowed", "2210")])


def item_cases():
    file = "einvoice-items.json"
    add(file, "more items than the configured limit of 1 (2173)", B2B_INTRA,
        [F("/items", "items.too_many", "2173")], options={"maxItems": 1})
    add(file, "two items within a limit of 2: passes", B2B_INTRA, options={"maxItems": 2})
    add(file, "duplicate item serial number (2233)", edit(B2B_INTRA, ("/items/1/serialNumber", "1")),
        [F("/items/1/serialNumber", "item.duplicate_serial", "2233")])
    add(file, "duplicate item serial number (2233)", edit(B2B_INTRA, ("/items/1/serialNumber", "1")),
        [F("/items/1/serialNumber", "item.duplicate_serial", "2233")], dialect="flat")
    add(file, "4-digit HSN at a turnover of 6 crore: 6 digits required (2176)",
        edit(B2B_INTER, ("/items/0/hsnCode", "8481")),
        [F("/items/0/hsnCode", "hsn.length_for_turnover", "2176")], options={"aggregateTurnover": 60000000})
    add(file, "4-digit HSN at a turnover of 6 crore: 6 digits required (2176)",
        edit(B2B_INTER, ("/items/0/hsnCode", "8481")),
        [F("/items/0/hsnCode", "hsn.length_for_turnover", "2176")], options={"aggregateTurnover": 60000000},
        dialect="nic")
    add(file, "4-digit HSN at a turnover of 4 crore: allowed", edit(B2B_INTER, ("/items/0/hsnCode", "8481")),
        options={"aggregateTurnover": 40000000})
    add(file, "4-digit HSN, turnover unknown: allowed", edit(B2B_INTER, ("/items/0/hsnCode", "8481")))
    add(file, "goods item without quantity and unit (2238, 2239)",
        edit(B2B_INTRA, ("/items/1/quantity", DELETE), ("/items/1/unit", DELETE)),
        [F("/items/1/quantity", "item.quantity_required", "2238"), F("/items/1/unit", "item.unit_required", "2239")])
    add(file, "goods item without quantity and unit (2238, 2239)",
        edit(B2B_INTRA, ("/items/1/quantity", DELETE), ("/items/1/unit", DELETE)),
        [F("/items/1/quantity", "item.quantity_required", "2238"), F("/items/1/unit", "item.unit_required", "2239")],
        dialect="flat")
    add(file, "service item without quantity and unit: allowed", B2B_INTER)
    add(file, "unit XYZ is not a UQC code (2177)", edit(B2B_INTRA, ("/items/1/unit", "XYZ")),
        [F("/items/1/unit", "item.unit_unknown", "2177")])
    add(file, "unit in lower case (kgs) is the UQC code KGS: passes", edit(B2B_INTRA, ("/items/1/unit", "kgs")))
    add(file, "goods HSN flagged as a service (warning)", edit(B2B_INTER, ("/items/0/isService", "Y")),
        [W("/items/0/isService", "item.service_flag_mismatch")])
    add(file, "GST rate 17 is not in the rate list (2240)",
        retotal(edit(B2B_INTER, ("/items/1/gstRate", D(17)), ("/items/1/igstAmount", D("850.00")))),
        [F("/items/1/gstRate", "item.gst_rate", "2240")])
    add(file, "GST rate 17 allowed by a rate-list override",
        retotal(edit(B2B_INTER, ("/items/1/gstRate", D(17)), ("/items/1/igstAmount", D("850.00")))),
        options={"gstRates": [D(17), D(18)]})
    add(file, "GST rate 40 (2025 slab) is off by default (2240)",
        retotal(edit(B2B_INTER, ("/items/1/gstRate", D(40)), ("/items/1/igstAmount", D("2000.00")))),
        [F("/items/1/gstRate", "item.gst_rate", "2240")])
    add(file, "GST rate 0.25 is in the rate list", retotal(edit(
        B2B_INTER, ("/items/1/gstRate", D("0.25")), ("/items/1/igstAmount", D("12.50")))))


def arithmetic_cases():
    file = "einvoice-arithmetic.json"
    add(file, "AssAmt is not TotAmt - Discount (2193)", retotal(edit(B2B_INTRA, ("/items/0/discount", D(60)))),
        [F("/items/0/assessableAmount", "item.assessable_amount", "2193")])
    add(file, "AssAmt is not TotAmt - Discount (2193)", retotal(edit(B2B_INTRA, ("/items/0/discount", D(60)))),
        [F("/items/0/assessableAmount", "item.assessable_amount", "2193")], dialect="nic")
    add(file, "TotAmt is not Qty x UnitPrice: a warning, NIC withdrew 2192",
        edit(B2B_INTRA, ("/items/1/unitPrice", D("430.000"))),
        [W("/items/1/totalAmount", "item.total_amount", "2192")])
    add(file, "TotAmt is not Qty x UnitPrice: a warning, NIC withdrew 2192",
        edit(B2B_INTRA, ("/items/1/unitPrice", D("430.000"))),
        [W("/items/1/totalAmount", "item.total_amount", "2192")], dialect="flat")
    igst0 = B2B_INTER["items"][0]["igstAmount"]
    add(file, "IGST 1.01 above AssAmt x rate (2235)",
        retotal(edit(B2B_INTER, ("/items/0/igstAmount", igst0 + D("1.01")))),
        [F("/items/0/igstAmount", "tax.igst_amount", "2235")])
    add(file, "IGST 1.01 above AssAmt x rate (2235)",
        retotal(edit(B2B_INTER, ("/items/0/igstAmount", igst0 + D("1.01")))),
        [F("/items/0/igstAmount", "tax.igst_amount", "2235")], dialect="flat")
    add(file, "IGST exactly 1.00 above AssAmt x rate: within the tolerance",
        retotal(edit(B2B_INTER, ("/items/0/igstAmount", igst0 + D("1.00")))))
    add(file, "IGST 1.50 above AssAmt x rate with a tolerance of 2: passes",
        retotal(edit(B2B_INTER, ("/items/0/igstAmount", igst0 + D("1.50")))), options={"itemTaxTolerance": 2})
    add(file, "intra-state item with no tax at 18 %: CGST and SGST missing (2234)",
        retotal(edit(B2B_INTRA, ("/items/1/cgstAmount", DELETE), ("/items/1/sgstAmount", DELETE))),
        [F("/items/1/cgstAmount", "tax.cgst_sgst_amount", "2234"),
         F("/items/1/sgstAmount", "tax.cgst_sgst_amount", "2234")])
    add(file, "CGST and SGST each 2 above half of AssAmt x rate (2234)",
        retotal(edit(B2B_INTRA, ("/items/1/cgstAmount", D("474.50")), ("/items/1/sgstAmount", D("474.50")))),
        [F("/items/1/cgstAmount", "tax.cgst_sgst_amount", "2234"),
         F("/items/1/sgstAmount", "tax.cgst_sgst_amount", "2234")])
    add(file, "IGST and CGST/SGST both charged and the sum is off: 2172 and 2179",
        retotal(edit(B2B_INTRA, ("/items/1/igstAmount", D("100.00")))),
        [F("/items/1/igstAmount", "tax.amount", "2179"), F("/items/1/igstAmount", "tax.igst_on_intra_state", "2172")])
    add(file, "credit note with IGST 10 off the rate: not checked for CRN/DBN",
        retotal(edit(CRN, ("/items/0/igstAmount", CRN["items"][0]["igstAmount"] + D(10)))))
    expwop = edit(EXPWP, ("/transactionDetails/supplyType", "EXPWOP"), ("/items/0/igstAmount", D("0")))
    add(file, "EXPWOP with IGST 0: not checked", retotal(expwop))
    add(file, "EXPWOP with IGST 100 at 5 % of 320000: checked (2235)",
        retotal(edit(expwop, ("/items/0/igstAmount", D("100.00")))),
        [F("/items/0/igstAmount", "tax.igst_amount", "2235")])
    add(file, "SEZWOP with IGST 0: not checked",
        retotal(edit(SEZWP, ("/transactionDetails/supplyType", "SEZWOP"), ("/items/0/igstAmount", D("0")))))
    add(file, "cess 10 above AssAmt x CesRt (2266)", retotal(edit(B2B_INTRA, ("/items/0/cessAmount", D("260.00")))),
        [F("/items/0/cessAmount", "tax.cess_amount", "2266")])
    add(file, "state cess 5 above AssAmt x StateCesRt (2267)",
        retotal(edit(B2B_INTRA, ("/items/0/stateCessAmount", D("130.00")))),
        [F("/items/0/stateCessAmount", "tax.state_cess_amount", "2267")])
    add(file, "TotItemVal one rupee above the sum of its parts (2194)",
        retotal(edit(B2B_INTRA, ("/items/1/totalItemValue", D("6196.00"))), item_totals=False),
        [F("/items/1/totalItemValue", "item.total_item_value", "2194")])
    add(file, "TotItemVal one rupee above the sum of its parts (2194)",
        retotal(edit(B2B_INTRA, ("/items/1/totalItemValue", D("6196.00"))), item_totals=False),
        [F("/items/1/totalItemValue", "item.total_item_value", "2194")], dialect="flat")
    rcm = DISPATCH_SHIP
    add(file, "reverse charge with TotItemVal without tax: allowed",
        retotal(edit(rcm, ("/items/0/totalItemValue", rcm["items"][0]["assessableAmount"])), item_totals=False))
    add(file, "without reverse charge, TotItemVal without tax is wrong (2194)",
        retotal(edit(rcm, ("/transactionDetails/reverseCharge", "N"),
                     ("/items/0/totalItemValue", rcm["items"][0]["assessableAmount"])), item_totals=False),
        [F("/items/0/totalItemValue", "item.total_item_value", "2194")])
    v = B2B_INTRA["valueDetails"]
    for key, code, nic in (("assessableValue", "total.assessable_value", "2182"),
                           ("cgstValue", "total.cgst_value", "2184"),
                           ("sgstValue", "total.sgst_value", "2183"),
                           ("cessValue", "total.cess_value", "2186"),
                           ("stateCessValue", "total.state_cess_value", "2187")):
        add(file, f"{key} one paisa off the sum of the items ({nic})",
            edit(B2B_INTRA, (f"/valueDetails/{key}", v[key] + D("0.01"))),
            [F(f"/valueDetails/{key}", code, nic)])
    add(file, "IGST total one paisa off the sum of the items (2185)",
        edit(B2B_INTER, ("/valueDetails/igstValue", B2B_INTER["valueDetails"]["igstValue"] - D("0.01"))),
        [F("/valueDetails/igstValue", "total.igst_value", "2185")])
    add(file, "IGST total one paisa off the sum of the items (2185)",
        edit(B2B_INTER, ("/valueDetails/igstValue", B2B_INTER["valueDetails"]["igstValue"] - D("0.01"))),
        [F("/valueDetails/igstValue", "total.igst_value", "2185")], dialect="nic")
    add(file, "IGST total missing while items carry IGST (2185)",
        edit(B2B_INTER, ("/valueDetails/igstValue", DELETE)),
        [F("/valueDetails/igstValue", "total.igst_value", "2185")])
    add(file, "item and document other charges disagree: a warning (2264)",
        retotal(edit(B2B_INTRA, ("/valueDetails/otherCharges", D(50)))),
        [W("/valueDetails/otherCharges", "total.other_charges", "2264")])
    tiv = B2B_INTER["valueDetails"]["totalInvoiceValue"]
    add(file, "TotInvVal 1.01 above the sum of its parts (2189)",
        edit(B2B_INTER, ("/valueDetails/totalInvoiceValue", tiv + D("1.01"))),
        [F("/valueDetails/totalInvoiceValue", "total.invoice_value", "2189")])
    add(file, "TotInvVal 1.01 above the sum of its parts (2189)",
        edit(B2B_INTER, ("/valueDetails/totalInvoiceValue", tiv + D("1.01"))),
        [F("/valueDetails/totalInvoiceValue", "total.invoice_value", "2189")], dialect="flat")
    add(file, "TotInvVal 1.01 above the sum of its parts (2189)",
        edit(B2B_INTER, ("/valueDetails/totalInvoiceValue", tiv + D("1.01"))),
        [F("/valueDetails/totalInvoiceValue", "total.invoice_value", "2189")], dialect="nic")
    add(file, "TotInvVal exactly 1.00 below the sum of its parts: within the tolerance",
        edit(B2B_INTER, ("/valueDetails/totalInvoiceValue", tiv - D("1.00"))))
    add(file, "TotInvVal 3 off with a total tolerance of 5: passes",
        edit(B2B_INTER, ("/valueDetails/totalInvoiceValue", tiv + D(3))), options={"totalTolerance": 5})
    add(file, "round-off of -99.99 balanced in the total: passes",
        retotal(edit(B2B_INTER, ("/valueDetails/roundOffAmount", D("-99.99")))))
    total_items = sum((it["totalItemValue"] for it in B2B_INTER["items"]), D(0))
    add(file, "document discount equal to the invoice value (2220)",
        retotal(edit(B2B_INTER, ("/valueDetails/discount", total_items + B2B_INTER["valueDetails"]["otherCharges"]))),
        [F("/valueDetails/discount", "total.discount", "2220")])


def ewb_details_cases():
    file = "einvoice-ewb-details.json"
    e = "/eWayBillDetails"
    add(file, "e-way bill by road without a vehicle number (4011)", edit(WITH_EWB, (e + "/vehicleNumber", DELETE)),
        [F(e + "/vehicleNumber", "ewb.vehicle_required", "4011")])
    add(file, "e-way bill by road without a vehicle number (4011)", edit(WITH_EWB, (e + "/vehicleNumber", DELETE)),
        [F(e + "/vehicleNumber", "ewb.vehicle_required", "4011")], dialect="nic")
    add(file, "vehicle number KA01AB123 in no NIC format (4014)", edit(WITH_EWB, (e + "/vehicleNumber", "KA01AB123")),
        [F(e + "/vehicleNumber", "ewb.vehicle_number_format", "4014")])
    add(file, "vehicle number KA01AB123 in no NIC format (4014)", edit(WITH_EWB, (e + "/vehicleNumber", "KA01AB123")),
        [F(e + "/vehicleNumber", "ewb.vehicle_number_format", "4014")], dialect="flat")
    add(file, "Bharat-series vehicle 22BH1234AB: passes", edit(WITH_EWB, (e + "/vehicleNumber", "22BH1234AB")))
    add(file, "temporary registration TM vehicle number: passes", edit(WITH_EWB, (e + "/vehicleNumber", "TMKA2026001")))
    rail = edit(WITH_EWB, (e + "/transportMode", "2"), (e + "/vehicleNumber", DELETE), (e + "/vehicleType", DELETE))
    add(file, "e-way bill by rail with its transport document: passes", rail)
    add(file, "e-way bill by rail without transport document number and date (4012, 2254)",
        edit(rail, (e + "/transportDocumentNumber", DELETE), (e + "/transportDocumentDate", DELETE)),
        [F(e + "/transportDocumentNumber", "ewb.transport_document_required", "4012"),
         F(e + "/transportDocumentDate", "ewb.transport_document_date_required", "2254")])
    add(file, "over-dimensional cargo by rail (4024)", edit(rail, (e + "/vehicleType", "O")),
        [F(e + "/vehicleType", "ewb.odc_not_road", "4024")])
    add(file, "ship mode with vehicle type R (4039)", edit(rail, (e + "/transportMode", "4"), (e + "/vehicleType", "R")),
        [F(e + "/vehicleType", "ewb.ship_regular_vehicle", "4039")])
    same_pin = edit(B2B_INTRA, ("/buyer/pincode", B2B_INTRA["seller"]["pincode"]),
                    ("/eWayBillDetails", copy.deepcopy(WITH_EWB["eWayBillDetails"])))
    add(file, "same PIN for dispatch and delivery with distance 0 (4029)", edit(same_pin, (e + "/distance", D(0))),
        [F(e + "/distance", "ewb.same_pin_distance", "4029")])
    add(file, "same PIN for dispatch and delivery with distance 150 km (4013)",
        edit(same_pin, (e + "/distance", D(150))),
        [F(e + "/distance", "ewb.same_pin_distance", "4013")])
    add(file, "same PIN for dispatch and delivery with distance 12 km: passes", edit(same_pin, (e + "/distance", D(12))))
    add(file, "different PINs with distance 0 (auto-calculated by NIC): passes", edit(WITH_EWB, (e + "/distance", D(0))))
    add(file, "e-way bill details on a credit note (2252)",
        edit(CRN, ("/eWayBillDetails", copy.deepcopy(WITH_EWB["eWayBillDetails"]))),
        [F(e, "ewb.not_for_notes", "2252")])
    services = retotal(edit(B2B_INTER, ("/items/0", DELETE), ("/eWayBillDetails",
                                                                copy.deepcopy(WITH_EWB["eWayBillDetails"]))))
    add(file, "e-way bill details with services only (2251)", services,
        [F(e, "ewb.goods_required", "2251")])
    add(file, "transport document dated before the invoice (4021)",
        edit(WITH_EWB, (e + "/transportDocumentDate", "2026-11-21")),
        [F(e + "/transportDocumentDate", "ewb.transport_document_date_before_document", "4021")])
    add(file, "transport document dated after today (4016)",
        edit(WITH_EWB, (e + "/transportDocumentDate", "2026-11-25")),
        [F(e + "/transportDocumentDate", "ewb.transport_document_date_future", "4016")], options={"now": NOW})
    add(file, "Part-A only: neither mode nor transporter id",
        edit(WITH_EWB, (e, {"distance": D(982)})),
        [F(e + "/transporterId", "ewb.transporter_required")])
    add(file, "Part-A only with a transporter id that fails the check character: never checksummed",
        edit(WITH_EWB, (e, {"transporterId": "29AAFCA7488L1Z0", "distance": D(982)})))


EWB_ROAD = load_ewaybill("generate-outward-road")
EWB_IMPORT = load_ewaybill("generate-inward-import")
EWB_PART_A = load_ewaybill("generate-part-a-others")
EWB_SHIP = load_ewaybill("generate-ship-odc")
EWB_NOW = "2022-10-06T10:00:00+05:30"


def ewaybill_cases():
    file = "ewaybill.json"

    def add_ewb(description, document, findings=(), options=None, dialect="canonical"):
        add(file, description, document, findings, options, dialect, kind="ewaybill")

    for name, c in (("generate-outward-road", EWB_ROAD), ("generate-inward-import", EWB_IMPORT),
                    ("generate-part-a-others", EWB_PART_A), ("generate-ship-odc", EWB_SHIP)):
        add_ewb(f"model vector {name}: passes", c)
        add_ewb(f"model vector {name}: passes", c, dialect="nic")
    t = "/transport"
    add_ewb("distance 4001 km (221; the schema's pattern also refuses it)",
            edit(EWB_ROAD, (t + "/distance", D(4001))),
            [F(t + "/distance", "schema.pattern", schema=True), F(t + "/distance", "ewb.distance_range", "221")])
    add_ewb("distance 4000 km: passes", edit(EWB_ROAD, (t + "/distance", D(4000))))
    same = edit(EWB_ROAD, ("/to/pincode", EWB_ROAD["from"]["pincode"]))
    add_ewb("same from and to PIN with distance 0 (721)", edit(same, (t + "/distance", D(0))),
            [F(t + "/distance", "ewb.same_pin_distance", "721")])
    add_ewb("same from and to PIN with distance 0 (721)", edit(same, (t + "/distance", D(0))),
            [F(t + "/distance", "ewb.same_pin_distance", "721")], dialect="nic")
    add_ewb("same from and to PIN with distance 101 km (702)", edit(same, (t + "/distance", D(101))),
            [F(t + "/distance", "ewb.same_pin_distance", "702")])
    add_ewb("same from and to PIN with distance 100 km: passes", edit(same, (t + "/distance", D(100))))
    add_ewb("road without a vehicle number (303)", edit(EWB_ROAD, (t + "/vehicleNumber", DELETE)),
            [F(t + "/vehicleNumber", "ewb.vehicle_required", "303")])
    add_ewb("road without a vehicle number (303)", edit(EWB_ROAD, (t + "/vehicleNumber", DELETE)),
            [F(t + "/vehicleNumber", "ewb.vehicle_required", "303")], dialect="nic")
    rail = edit(EWB_ROAD, (t + "/mode", "2"), (t + "/vehicleNumber", DELETE), (t + "/vehicleType", DELETE),
                (t + "/documentNumber", "RR123456789"), (t + "/documentDate", "2022-10-05"))
    add_ewb("rail with its railway receipt: passes", rail)
    add_ewb("rail without the transport document number (394; the schema requires it too)",
            edit(rail, (t + "/documentNumber", DELETE)),
            [F(t + "/documentNumber", "schema.required", schema=True),
             F(t + "/documentNumber", "ewb.transport_document_required", "394")])
    add_ewb("rail without the transport document date (385; the schema requires it too)",
            edit(rail, (t + "/documentDate", DELETE)),
            [F(t + "/documentDate", "schema.required", schema=True),
             F(t + "/documentDate", "ewb.transport_document_date_required", "385")])
    add_ewb("rail with over-dimensional cargo (634)", edit(rail, (t + "/vehicleType", "O")),
            [F(t + "/vehicleType", "ewb.odc_not_road", "634")])
    add_ewb("ship with vehicle type R (726)", edit(EWB_SHIP, (t + "/vehicleType", "R")),
            [F(t + "/vehicleType", "ewb.ship_regular_vehicle", "726")])
    add_ewb("ship with vehicle type R (726)", edit(EWB_SHIP, (t + "/vehicleType", "R")),
            [F(t + "/vehicleType", "ewb.ship_regular_vehicle", "726")], dialect="nic")
    add_ewb("vehicle number in no NIC format", edit(EWB_ROAD, (t + "/vehicleNumber", "KA1AB12345")),
            [F(t + "/vehicleNumber", "ewb.vehicle_number_format")])
    add_ewb("vehicle number with spaces and lower case (ka 01 ab 1234): passes",
            edit(EWB_ROAD, (t + "/vehicleNumber", "ka01ab1234")))
    add_ewb("transport document dated before the document (362)",
            edit(rail, (t + "/documentDate", "2022-10-04")),
            [F(t + "/documentDate", "ewb.transport_document_date_before_document", "362")])
    add_ewb("Part-A only without a transporter id (619)", edit(EWB_PART_A, (t + "/transporterId", DELETE)),
            [F(t + "/transporterId", "ewb.transporter_required", "619")])
    add_ewb("document 181 days old (820)", EWB_ROAD, [F("/documentDetails/date", "document.date_too_old", "820")],
            options={"now": "2023-04-04T10:00:00+05:30"})
    add_ewb("document 181 days old (820)", EWB_ROAD, [F("/documentDetails/date", "document.date_too_old", "820")],
            options={"now": "2023-04-04T10:00:00+05:30"}, dialect="nic")
    add_ewb("document 180 days old: passes", EWB_ROAD, options={"now": "2023-04-03T10:00:00+05:30"})
    add_ewb("document dated after today", EWB_ROAD, [F("/documentDetails/date", "document.date_future")],
            options={"now": "2022-10-04T10:00:00+05:30"})
    add_ewb("document dated before GST (819)", edit(EWB_ROAD, ("/documentDetails/date", "2017-06-30")),
            [F("/documentDetails/date", "document.date_before_gst", "819")])
    add_ewb("value below the 50,000 threshold: a warning",
            edit(EWB_PART_A, ("/valueDetails/totalInvoiceValue", D("49999.99"))),
            [W("/valueDetails/totalInvoiceValue", "ewb.below_threshold")])
    add_ewb("value below a configured threshold of 20,000: passes",
            edit(EWB_PART_A, ("/valueDetails/totalInvoiceValue", D("49999.99"))),
            options={"ewaybillValueThreshold": 20000})
    services = edit(EWB_ROAD, ("/items/0/hsnCode", "998314"), ("/items/1/hsnCode", "998315"))
    add_ewb("only services: an e-way bill needs goods (724)", services, [F("/items", "ewb.goods_required", "724")])
    add_ewb("one goods item among services: passes", edit(services, ("/items/1/hsnCode", "61171020")))
    add_ewb("4-digit HSN at a turnover of 6 crore (283)", edit(EWB_ROAD, ("/items/0/hsnCode", "6109")),
            [F("/items/0/hsnCode", "hsn.length_for_turnover", "283")], options={"aggregateTurnover": 60000000})
    add_ewb("4-digit HSN at a turnover of 4 crore: passes", edit(EWB_ROAD, ("/items/0/hsnCode", "6109")),
            options={"aggregateTurnover": 40000000})
    add_ewb("unit XYZ is not a UQC code", edit(EWB_ROAD, ("/items/0/unit", "XYZ")),
            [F("/items/0/unit", "item.unit_unknown")])
    add_ewb("consignor GSTIN with a wrong check character",
            edit(EWB_ROAD, ("/from/gstin", bad_check(EWB_ROAD["from"]["gstin"]))),
            [F("/from/gstin", "gstin.check_character", "3028")])
    add_ewb("consignor GSTIN with a wrong check character",
            edit(EWB_ROAD, ("/from/gstin", bad_check(EWB_ROAD["from"]["gstin"]))),
            [F("/from/gstin", "gstin.check_character", "3028")], dialect="nic")
    add_ewb("consignor GSTIN with a wrong check character in sandbox mode: not checked",
            edit(EWB_ROAD, ("/from/gstin", bad_check(EWB_ROAD["from"]["gstin"]))), options=SANDBOX)
    add_ewb("consignee URP: allowed", edit(EWB_ROAD, ("/to/gstin", "URP")))
    add_ewb("consignee PIN 400001 in Karnataka", edit(EWB_ROAD, ("/to/pincode", D(400001))),
            [F("/to/pincode", "pin.state_mismatch")])
    add_ewb("consignee state code 45 is not in the state master, and differs from the ship-to state (644)",
            edit(EWB_ROAD, ("/to/stateCode", "45")),
            [F("/to/stateCode", "state.unknown"), F("/to/actualStateCode", "ewb.regular_state_mismatch", "644")])
    add_ewb("consignee bill-to and ship-to state 45: both unknown, the PIN is not judged",
            edit(EWB_ROAD, ("/to/stateCode", "45"), ("/to/actualStateCode", "45")),
            [F("/to/stateCode", "state.unknown"), F("/to/actualStateCode", "state.unknown")])
    add_ewb("Regular transaction with dispatch state other than bill-from state (643)",
            edit(EWB_ROAD, ("/from/actualStateCode", "33"), ("/from/pincode", D(600001))),
            [F("/from/actualStateCode", "ewb.regular_state_mismatch", "643")])
    add_ewb("Regular transaction with ship-to state other than bill-to state (644)",
            edit(EWB_ROAD, ("/to/actualStateCode", "33"), ("/to/pincode", D(600001))),
            [F("/to/actualStateCode", "ewb.regular_state_mismatch", "644")])
    add_ewb("Bill-to/ship-to transaction with differing states: allowed",
            edit(EWB_ROAD, ("/transactionType", D(2)), ("/to/actualStateCode", "33"), ("/to/pincode", D(600001))))
    add_ewb("sub-supply type Others without a description (377; the schema requires it too)",
            edit(EWB_ROAD, ("/subSupplyType", D(8))),
            [F("/subSupplyDescription", "schema.required", schema=True),
             F("/subSupplyDescription", "ewb.sub_supply_description_required", "377")])
    add_ewb("ship with over-dimensional cargo: allowed (cargo by ship is sent as O)", EWB_SHIP)
    add_ewb("air with over-dimensional cargo (634)",
            edit(EWB_SHIP, (t + "/mode", "3")),
            [F(t + "/vehicleType", "ewb.odc_not_road", "634")])


def shape_overlap_cases():
    """Rules that restate a schema constraint: the shape layer reports the field, and the rule's own
    finding is left out unless it carries a NIC code of its own."""
    file = "einvoice-shape-overlap.json"
    add(file, "seller URP: the supplier must be registered (2213), and the schema refuses URP there",
        edit(B2B_INTER, ("/seller/gstin", "URP")),
        [F("/seller/gstin", "schema.min_length", schema=True), F("/seller/gstin", "schema.pattern", schema=True),
         F("/seller/gstin", "gstin.supplier_urp", "2213")])
    add(file, "seller GSTIN starting with 45, not a state: 3028, and 2258 against state 29",
        edit(B2B_INTER, ("/seller/gstin", gstin("45AAFCC9980M1Z"))),
        [F("/seller/gstin", "gstin.state_code", "3028"), F("/seller/stateCode", "gstin.state_mismatch", "2258")])
    add(file, "HSN of 5 digits (2176; the schema pattern refuses it too)",
        edit(B2B_INTER, ("/items/0/hsnCode", "84818")),
        [F("/items/0/hsnCode", "schema.pattern", schema=True), F("/items/0/hsnCode", "hsn.format", "2176")])
    add(file, "HSN of 5 digits (2176; the schema pattern refuses it too)",
        edit(B2B_INTER, ("/items/0/hsnCode", "84818")),
        [F("/items/0/hsnCode", "schema.pattern", schema=True), F("/items/0/hsnCode", "hsn.format", "2176")],
        dialect="nic")
    add(file, "document number starting with 0: the schema pattern reports it, the rule does not repeat it",
        edit(B2B_INTER, ("/documentDetails/number", "0ACM/1")),
        [F("/documentDetails/number", "schema.pattern", schema=True)])
    add(file, "seller PIN of 5 digits: the schema reports it, the rule does not repeat it",
        edit(B2B_INTER, ("/seller/pincode", D(56005))),
        [F("/seller/pincode", "schema.minimum", schema=True)])
    add(file, "negative document discount: the schema minimum reports it, the rule does not repeat it",
        edit(B2B_INTER, ("/valueDetails/discount", D(-10)),
             ("/valueDetails/totalInvoiceValue", B2B_INTER["valueDetails"]["totalInvoiceValue"] + D(110))),
        [F("/valueDetails/discount", "schema.minimum", schema=True)])
    add(file, "round-off of 100 balanced in the total: the schema maximum reports it",
        retotal(edit(B2B_INTER, ("/valueDetails/roundOffAmount", D(100)))),
        [F("/valueDetails/roundOffAmount", "schema.maximum", schema=True)])
    empty = edit(B2B_INTER, ("/items", []), ("/valueDetails", {"assessableValue": D(0), "totalInvoiceValue": D(0)}))
    add(file, "no items (2228; the schema's minItems too)", empty,
        [F("/items", "schema.min_items", schema=True), F("/items", "items.empty", "2228")])
    add(file, "transporter id with a hyphen: the schema pattern reports it, the rule does not repeat it",
        edit(WITH_EWB, ("/eWayBillDetails/transporterId", "29AAFCA7488L1-0")),
        [F("/eWayBillDetails/transporterId", "schema.pattern", schema=True)])
    add(file, "e-way bill distance 4001 km: the schema maximum reports it, the rule does not repeat it",
        edit(WITH_EWB, ("/eWayBillDetails/distance", D(4001))),
        [F("/eWayBillDetails/distance", "schema.maximum", schema=True)])
    add(file, "transporter id of GSTIN shape but in no GSTIN format",
        edit(WITH_EWB, ("/eWayBillDetails/transporterId", "29AAFCA74881ZZ0")),
        [F("/eWayBillDetails/transporterId", "transporter.format")])

    def add_ewb(description, document, findings=(), options=None, dialect="canonical"):
        add("ewaybill-more.json", description, document, findings, options, dialect, kind="ewaybill")

    t = "/transport"
    rail = edit(EWB_ROAD, (t + "/mode", "2"), (t + "/vehicleNumber", DELETE), (t + "/vehicleType", DELETE),
                (t + "/documentNumber", "RR123456789"), (t + "/documentDate", "2022-10-05"))
    add_ewb("transport document dated after today", edit(rail, (t + "/documentDate", "2022-10-07")),
            [F(t + "/documentDate", "ewb.transport_document_date_future")], options={"now": EWB_NOW})
    add_ewb("transport document dated today: passes", edit(rail, (t + "/documentDate", "2022-10-06")),
            options={"now": EWB_NOW})
    add_ewb("user GSTIN with a wrong check character",
            edit(EWB_ROAD, ("/userGstin", bad_check(EWB_ROAD["userGstin"]))),
            [F("/userGstin", "gstin.check_character", "3028")])
    add_ewb("user GSTIN with a wrong check character",
            edit(EWB_ROAD, ("/userGstin", bad_check(EWB_ROAD["userGstin"]))),
            [F("/userGstin", "gstin.check_character", "3028")], dialect="nic")
    add_ewb("TRANSIN transporter id failing the check character: never checksummed",
            edit(EWB_ROAD, (t + "/transporterId", "88AAACD8017H1ZX")))
    add_ewb("consignee URP abroad with PIN 999999 delivering at a port in state 24: passes", EWB_SHIP)
    add_ewb("document number with a space", edit(EWB_ROAD, ("/documentDetails/number", "OFO 0042")),
            [F("/documentDetails/number", "schema.pattern", schema=True)])
    add_ewb("document number starting with 0: allowed on an e-way bill",
            edit(EWB_ROAD, ("/documentDetails/number", "0042/OFO")))


def main():
    seeds()
    shape_overlap_cases()
    party_cases()
    supply_cases()
    document_cases()
    item_cases()
    arithmetic_cases()
    ewb_details_cases()
    ewaybill_cases()
    check = "--check" in sys.argv[1:]
    stale = []
    total = 0
    for name, cases in sorted(FILES.items()):
        total += len(cases)
        text = to_json(cases)
        path = HERE / name
        if check:
            if not path.exists() or path.read_text() != text:
                stale.append(name)
        else:
            path.write_text(text)
    if check and stale:
        sys.exit(f"out of date: {', '.join(stale)} (run make_vectors.py)")
    print(f"{total} cases in {len(FILES)} files" + (" (up to date)" if check else ""))


if __name__ == "__main__":
    main()
