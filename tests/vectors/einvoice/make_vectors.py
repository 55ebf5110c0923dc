#!/usr/bin/env python3
"""Writes the e-invoice model vectors in this directory.

Each vector holds a document in one dialect, the canonical form it normalises to, the NIC v1.1
JSON it maps to, and its IRN. The NIC side is produced here by a second, independent mapping (a
table of key renames written from NIC's schema), so the Rust mapping is checked against something
it did not produce. Amounts are computed with Decimal and written as exact JSON numbers.

Run: python3 tests/vectors/einvoice/make_vectors.py          (rewrites the *.json files)
     python3 tests/vectors/einvoice/make_vectors.py --check  (fails if a file is out of date)
"""
import sys
import hashlib
import json
import re
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


def money(d):
    return "#" + str(d)


def r2(d):
    return d.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def item(sl, desc, hsn, qty, unit, price, rate, split, service=False, discount=Decimal("0"), **extra):
    qty = Decimal(qty) if qty is not None else None
    price = Decimal(price)
    rate = Decimal(rate)
    total = r2((qty or Decimal(1)) * price)
    ass = total - discount
    it = {"serialNumber": str(sl), "productDescription": desc, "isService": "Y" if service else "N",
          "hsnCode": hsn}
    if qty is not None:
        it["quantity"] = money(qty)
        it["unit"] = unit
    it["unitPrice"] = money(price)
    it["totalAmount"] = money(total)
    if discount:
        it["discount"] = money(discount)
    it["assessableAmount"] = money(ass)
    it["gstRate"] = money(rate)
    tax = Decimal(0)
    if split == "igst":
        t = r2(ass * rate / 100)
        it["igstAmount"] = money(t)
        tax += t
    elif split == "cgst":
        half = r2(ass * rate / 200)
        it["cgstAmount"] = money(half)
        it["sgstAmount"] = money(half)
        tax += 2 * half
    else:
        it["igstAmount"] = money(Decimal("0"))
    for k, v in extra.items():
        it[k] = v
    for k in ("cessAmount", "cessNonAdvolAmount", "stateCessAmount", "stateCessNonAdvolAmount", "otherCharges"):
        if k in extra:
            tax += Decimal(extra[k][1:])
    it["totalItemValue"] = money(ass + tax)
    return it


def totals(items, **extra):
    def s(key):
        vals = [Decimal(i[key][1:]) for i in items if key in i]
        return sum(vals, Decimal("0")) if vals else None
    v = {"assessableValue": money(s("assessableAmount"))}
    for src, dst in (("cgstAmount", "cgstValue"), ("sgstAmount", "sgstValue"), ("igstAmount", "igstValue")):
        t = s(src)
        if t is not None:
            v[dst] = money(t)
    cess = [s("cessAmount"), s("cessNonAdvolAmount")]
    if any(c is not None for c in cess):
        v["cessValue"] = money(sum((c for c in cess if c is not None), Decimal(0)))
    st = [s("stateCessAmount"), s("stateCessNonAdvolAmount")]
    if any(c is not None for c in st):
        v["stateCessValue"] = money(sum((c for c in st if c is not None), Decimal(0)))
    tot = s("totalItemValue")
    for k, val in extra.items():
        v[k] = val
    tot -= Decimal(v.get("discount", "#0")[1:])
    tot += Decimal(v.get("otherCharges", "#0")[1:])
    tot += Decimal(v.get("roundOffAmount", "#0")[1:])
    v["totalInvoiceValue"] = money(tot)
    return v


SELLER_KA = {"gstin": "29AAFCC9980M1ZR", "legalName": "Acme Components Private Limited",
             "tradeName": "Acme Components", "address1": "12 Industrial Area", "address2": "Peenya 2nd Stage",
             "location": "Bengaluru", "pincode": 560058, "stateCode": "29", "phone": "9876543210",
             "email": "billing@acme.example"}
BUYER_MH = {"gstin": "27AAPFU0939F1ZV", "legalName": "Globex Trading LLP", "placeOfSupplyStateCode": "27",
            "address1": "8 MG Road", "location": "Mumbai", "pincode": 400001, "stateCode": "27"}
BUYER_KA = {"gstin": gstin("29AABCT1332L1Z"), "legalName": "Mysore Silk Traders", "tradeName": "MST",
            "placeOfSupplyStateCode": "29", "address1": "4 Sayyaji Rao Road", "address2": "Devaraja Mohalla",
            "location": "Mysuru", "pincode": 570001, "stateCode": "29", "phone": "0821242424",
            "email": "accounts@mst.example"}
BUYER_SEZ = {"gstin": gstin("33AAACS8577K1Z"), "legalName": "Chennai SEZ Unit Private Limited",
             "placeOfSupplyStateCode": "33", "address1": "MEPZ Special Economic Zone", "location": "Tambaram",
             "pincode": 600045, "stateCode": "33"}
BUYER_EXPORT = {"gstin": "URP", "legalName": "Northwind Imports Inc", "placeOfSupplyStateCode": "96",
                "address1": "500 Harbor Blvd", "location": "Long Beach", "pincode": 999999, "stateCode": "96"}


def doc(number, date, typ="INV"):
    return {"type": typ, "number": number, "date": date}


def tran(sup, **kw):
    t = {"taxScheme": "GST", "supplyType": sup}
    t.update(kw)
    return t


VECTORS = {}

# 1. B2B intra-state, goods, every item field used at least once.
items = [
    item(1, "Bearing assembly 6204", "84821010", "100", "NOS", "250.50", "18", "cgst",
         discount=Decimal("50"), barcode="8901234567890", freeQuantity=money(Decimal("2")),
         preTaxValue=money(Decimal("24950")), cessRate=money(Decimal("1")), cessAmount=money(Decimal("249.50")),
         cessNonAdvolAmount=money(Decimal("10")), stateCessRate=money(Decimal("0.5")),
         stateCessAmount=money(Decimal("124.75")), stateCessNonAdvolAmount=money(Decimal("5")),
         otherCharges=money(Decimal("100")), orderLineReference="PO-7781/L1", originCountry="IN",
         productSerialNumber="SN-0001", batch={"name": "B2026-11", "expiryDate": "2029-11-30",
                                             "warrantyDate": "2027-11-30"},
         attributes=[{"name": "colour", "value": "steel"}, {"name": "grade", "value": "ABEC-3"}]),
    item(2, "Grease cartridge 400 g", "34039900", "12.5", "KGS", "420.000", "18", "cgst"),
]
VECTORS["b2b-intra"] = {
    "description": "B2B intra-state (KA to KA): CGST + SGST, every item field, cess and state cess",
    "canonical": {"documentDetails": doc("ACM/26-27/0001", "2026-11-20"),
                  "transactionDetails": tran("B2B", reverseCharge="N"),
                  "seller": SELLER_KA, "buyer": BUYER_KA, "items": items,
                  "valueDetails": totals(items, roundOffAmount=money(Decimal("0.25")))},
}

# 2. B2B inter-state with goods and a service, payment and reference details.
items = [
    item(1, "Industrial valve DN50", "84818030", "4", "NOS", "15999.99", "18", "igst"),
    item(2, "Installation and commissioning", "998719", None, None, "5000", "18", "igst", service=True),
]
VECTORS["b2b-inter"] = {
    "description": "B2B inter-state (KA to MH): IGST only; payment, reference and additional documents",
    "canonical": {"documentDetails": doc("ACM/26-27/0002", "2026-11-20"),
                  "transactionDetails": tran("B2B", reverseCharge="N", igstOnIntra="N"),
                  "seller": SELLER_KA, "buyer": BUYER_MH, "items": items,
                  "valueDetails": totals(items, discount=money(Decimal("100")), otherCharges=money(Decimal("250"))),
                  "paymentDetails": {"payeeName": "Acme Components Private Limited", "accountDetails": "50200012345678",
                                     "mode": "NEFT", "financialInstitutionBranch": "HDFC0000123",
                                     "paymentTerms": "Net 30", "paymentInstruction": "Quote invoice number",
                                     "creditTransfer": "NEFT to account above", "directDebit": "Not applicable",
                                     "creditDays": 30, "paidAmount": money(Decimal("10000")),
                                     "paymentDue": money(Decimal("72184.58"))},
                  "referenceDetails": {"invoiceRemarks": "Against PO 7781",
                                       "documentPeriod": {"startDate": "2026-11-01", "endDate": "2026-11-30"},
                                       "contracts": [{"receiptAdviceReference": "GRN-5521", "receiptAdviceDate": "2026-11-19",
                                                      "tenderReference": "TND-12", "contractReference": "CTR-2026-04",
                                                      "externalReference": "EXT-9", "projectReference": "PRJ-PUNE",
                                                      "poReference": "PO-7781", "poReferenceDate": "2026-10-15"}]},
                  "additionalDocuments": [{"url": "https://docs.acme.example/inv/0002.pdf", "document": "Test certificate",
                                           "info": "Pressure test at 16 bar"}]},
}

# 3. Supply to an SEZ unit with payment of tax.
items = [item(1, "Server rack 42U", "94032090", "3", "NOS", "48500", "18", "igst")]
VECTORS["sezwp"] = {
    "description": "SEZWP: supply to an SEZ unit with payment of IGST",
    "canonical": {"documentDetails": doc("ACM/26-27/0003", "2026-11-21"),
                  "transactionDetails": tran("SEZWP"),
                  "seller": SELLER_KA, "buyer": BUYER_SEZ, "items": items, "valueDetails": totals(items)},
}

# 4. Export with payment of tax: URP buyer, POS and state 96, PIN 999999, export details.
items = [item(1, "Cotton shirts", "62052000", "500", "PCS", "640", "5", "igst")]
VECTORS["expwp"] = {
    "description": "EXPWP: export with payment, URP buyer in state 96, export details, foreign-currency total",
    "canonical": {"documentDetails": doc("EXP/26-27/0007", "2026-11-21"),
                  "transactionDetails": tran("EXPWP"),
                  "seller": SELLER_KA, "buyer": BUYER_EXPORT,
                  "shipTo": {"legalName": "Chennai Port (place of export)", "address1": "Rajaji Salai",
                             "location": "Chennai", "pincode": 600001, "stateCode": "33"},
                  "items": items,
                  "valueDetails": totals(items, totalInvoiceValueForeignCurrency=money(Decimal("4032.00"))),
                  "exportDetails": {"shippingBillNumber": "7723456", "shippingBillDate": "2026-11-21",
                                    "portCode": "INMAA1", "refundClaim": "Y", "foreignCurrency": "USD",
                                    "countryCode": "US", "exportDuty": money(Decimal("0"))}},
}

# 5. Deemed export.
items = [item(1, "Boiler tubes", "73041110", "40", "MTR", "1875.25", "18", "igst")]
VECTORS["dexp"] = {
    "description": "DEXP: deemed export to a registered recipient (never URP, 2171)",
    "canonical": {"documentDetails": doc("ACM/26-27/0004", "2026-11-21"),
                  "transactionDetails": tran("DEXP"),
                  "seller": SELLER_KA, "buyer": BUYER_MH, "items": items, "valueDetails": totals(items)},
}

# 6. Credit note referring to the invoice it corrects.
items = [item(1, "Industrial valve DN50 (returned)", "84818030", "1", "NOS", "15999.99", "18", "igst")]
VECTORS["crn"] = {
    "description": "CRN: credit note with its preceding invoice (2191)",
    "canonical": {"documentDetails": doc("CN/26-27/0001", "2026-11-22", "CRN"),
                  "transactionDetails": tran("B2B"),
                  "seller": SELLER_KA, "buyer": BUYER_MH, "items": items, "valueDetails": totals(items),
                  "referenceDetails": {"precedingDocuments": [{"number": "ACM/26-27/0002", "date": "2026-11-20",
                                                               "otherReference": "Return of 1 valve"}]}},
}

# 7. Dispatch-from and ship-to blocks, reverse charge.
items = [item(1, "Steel coils", "72083610", "2.345", "MTS", "61250.000", "18", "igst")]
VECTORS["dispatch-ship"] = {
    "description": "Dispatch from a warehouse in TN, ship to a consignee in GJ, bill to MH; reverse charge",
    "canonical": {"documentDetails": doc("ACM/26-27/0005", "2026-11-21"),
                  "transactionDetails": tran("B2B", reverseCharge="Y"),
                  "seller": SELLER_KA, "buyer": BUYER_MH,
                  "dispatchFrom": {"name": "Acme Warehouse Hosur", "address1": "Plot 7 SIPCOT", "address2": "Phase II",
                                   "location": "Hosur", "pincode": 635126, "stateCode": "33"},
                  "shipTo": {"gstin": gstin("24AAACR5055K1Z"), "legalName": "Rajkot Fabricators Limited",
                             "tradeName": "RFL", "address1": "GIDC Metoda", "address2": "Gate 3",
                             "location": "Rajkot", "pincode": 360021, "stateCode": "24"},
                  "items": items, "valueDetails": totals(items)},
}

# 8. With e-way bill details (road).
items = [item(1, "Cement OPC 53", "25232930", "400", "BAG", "385", "28", "igst")]
VECTORS["with-ewb"] = {
    "description": "IRN with an e-way bill by road (EwbDtls): transporter, vehicle, distance",
    "canonical": {"documentDetails": doc("ACM/26-27/0006", "2026-11-22"),
                  "transactionDetails": tran("B2B"),
                  "seller": SELLER_KA, "buyer": BUYER_MH, "items": items, "valueDetails": totals(items),
                  "eWayBillDetails": {"transporterId": "29AAFCA7488L1Z0", "transporterName": "Speedy Roadways",
                                      "transportMode": "1", "distance": 982, "transportDocumentNumber": "LR-4471",
                                      "transportDocumentDate": "2026-11-22", "vehicleNumber": "KA01AB1234",
                                      "vehicleType": "R"}},
}

# The NIC mapping, written from NIC's schema: canonical key -> NIC key per block.
BLOCKS = {
    "documentDetails": ("DocDtls", {"type": "Typ", "number": "No", "date": "Dt"}),
    "transactionDetails": ("TranDtls", {"taxScheme": "TaxSch", "supplyType": "SupTyp", "reverseCharge": "RegRev",
                                        "ecomGstin": "EcmGstin", "igstOnIntra": "IgstOnIntra"}),
    "seller": ("SellerDtls", None), "buyer": ("BuyerDtls", None),
    "dispatchFrom": ("DispDtls", None), "shipTo": ("ShipDtls", None),
    "items": ("ItemList", None), "valueDetails": ("ValDtls", None),
    "paymentDetails": ("PayDtls", None), "referenceDetails": ("RefDtls", None),
    "additionalDocuments": ("AddlDocDtls", None), "exportDetails": ("ExpDtls", None),
    "eWayBillDetails": ("EwbDtls", None),
}
PARTY = {"gstin": "Gstin", "legalName": "LglNm", "tradeName": "TrdNm", "placeOfSupplyStateCode": "Pos",
         "address1": "Addr1", "address2": "Addr2", "location": "Loc", "pincode": "Pin", "stateCode": "Stcd",
         "phone": "Ph", "email": "Em", "name": "Nm"}
ITEM = {"serialNumber": "SlNo", "productDescription": "PrdDesc", "isService": "IsServc", "hsnCode": "HsnCd",
        "barcode": "Barcde", "quantity": "Qty", "freeQuantity": "FreeQty", "unit": "Unit", "unitPrice": "UnitPrice",
        "totalAmount": "TotAmt", "discount": "Discount", "preTaxValue": "PreTaxVal", "assessableAmount": "AssAmt",
        "gstRate": "GstRt", "igstAmount": "IgstAmt", "cgstAmount": "CgstAmt", "sgstAmount": "SgstAmt",
        "cessRate": "CesRt", "cessAmount": "CesAmt", "cessNonAdvolAmount": "CesNonAdvlAmt",
        "stateCessRate": "StateCesRt", "stateCessAmount": "StateCesAmt",
        "stateCessNonAdvolAmount": "StateCesNonAdvlAmt", "otherCharges": "OthChrg", "totalItemValue": "TotItemVal",
        "orderLineReference": "OrdLineRef", "originCountry": "OrgCntry", "productSerialNumber": "PrdSlNo",
        "batch": "BchDtls", "attributes": "AttribDtls"}
BATCH = {"name": "Nm", "expiryDate": "ExpDt", "warrantyDate": "WrDt"}
ATTR = {"name": "Nm", "value": "Val"}
VALUE = {"assessableValue": "AssVal", "cgstValue": "CgstVal", "sgstValue": "SgstVal", "igstValue": "IgstVal",
         "cessValue": "CesVal", "stateCessValue": "StCesVal", "discount": "Discount", "otherCharges": "OthChrg",
         "roundOffAmount": "RndOffAmt", "totalInvoiceValue": "TotInvVal",
         "totalInvoiceValueForeignCurrency": "TotInvValFc"}
PAY = {"payeeName": "Nm", "accountDetails": "AccDet", "mode": "Mode", "financialInstitutionBranch": "FinInsBr",
       "paymentTerms": "PayTerm", "paymentInstruction": "PayInstr", "creditTransfer": "CrTrn",
       "directDebit": "DirDr", "creditDays": "CrDay", "paidAmount": "PaidAmt", "paymentDue": "PaymtDue"}
REF = {"invoiceRemarks": "InvRm", "documentPeriod": "DocPerdDtls", "precedingDocuments": "PrecDocDtls",
       "contracts": "ContrDtls"}
PERIOD = {"startDate": "InvStDt", "endDate": "InvEndDt"}
PREC = {"number": "InvNo", "date": "InvDt", "otherReference": "OthRefNo"}
CONTR = {"receiptAdviceReference": "RecAdvRefr", "receiptAdviceDate": "RecAdvDt", "tenderReference": "TendRefr",
         "contractReference": "ContrRefr", "externalReference": "ExtRefr", "projectReference": "ProjRefr",
         "poReference": "PORefr", "poReferenceDate": "PORefDt"}
ADDL = {"url": "Url", "document": "Docs", "info": "Info"}
EXP = {"shippingBillNumber": "ShipBNo", "shippingBillDate": "ShipBDt", "portCode": "Port",
       "refundClaim": "RefClm", "foreignCurrency": "ForCur", "countryCode": "CntCode", "exportDuty": "ExpDuty"}
EWB = {"transporterId": "TransId", "transporterName": "TransName", "transportMode": "TransMode",
       "distance": "Distance", "transportDocumentNumber": "TransDocNo", "transportDocumentDate": "TransDocDt",
       "vehicleNumber": "VehNo", "vehicleType": "VehType"}
DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def nic_value(v):
    if isinstance(v, str):
        m = DATE_RE.match(v)
        if m:
            return f"{m.group(3)}/{m.group(2)}/{m.group(1)}"
    return v


def rename(obj, table, nested=None):
    nested = nested or {}
    out = {}
    for k, v in obj.items():
        nk = table[k]
        if k in nested:
            sub = nested[k]
            out[nk] = [rename(x, sub) for x in v] if isinstance(v, list) else rename(v, sub)
        else:
            out[nk] = nic_value(v)
    return out


def to_nic(c):
    n = {"Version": "1.1"}
    tables = {"documentDetails": (DOC := BLOCKS["documentDetails"][1], {}),
              "transactionDetails": (BLOCKS["transactionDetails"][1], {}),
              "seller": (PARTY, {}), "buyer": (PARTY, {}), "dispatchFrom": (PARTY, {}), "shipTo": (PARTY, {}),
              "items": (ITEM, {"batch": BATCH, "attributes": ATTR}), "valueDetails": (VALUE, {}),
              "paymentDetails": (PAY, {}),
              "referenceDetails": (REF, {"documentPeriod": PERIOD, "precedingDocuments": PREC, "contracts": CONTR}),
              "additionalDocuments": (ADDL, {}), "exportDetails": (EXP, {}), "eWayBillDetails": (EWB, {})}
    for key in BLOCKS:
        if key not in c:
            continue
        table, nested = tables[key]
        v = c[key]
        n[BLOCKS[key][0]] = [rename(x, table, nested) for x in v] if isinstance(v, list) else rename(v, table, nested)
    return n


def fy(date):
    y, m = int(date[:4]), int(date[5:7])
    start = y if m >= 4 else y - 1
    return f"{start}-{(start + 1) % 100:02d}"


def irn(c):
    d = c["documentDetails"]
    text = c["seller"]["gstin"] + fy(d["date"]) + d["type"] + d["number"]
    return hashlib.sha256(text.encode()).hexdigest()


def dump(obj):
    text = json.dumps(obj, indent=2, ensure_ascii=False)
    return re.sub(r'"#(-?[0-9.]+)"', r"\1", text) + "\n"


# The flat quickstart body of seed 002, verbatim. Its placeOfSupplyStateCode "29" with IGST is a
# data problem (intra-state by place of supply), which validation reports; parsing accepts it.
QUICKSTART = {
    "supplyType": "B2B", "documentType": "INV", "invoiceNumber": "INV-2026-00001", "invoiceDate": "2026-05-04",
    "financialYear": "2026-27", "reverseCharge": False, "placeOfSupplyStateCode": "29",
    "seller": {"gstin": "29ABCDE1234F1Z5", "legalName": "Acme Pvt Ltd", "address1": "12 Industrial Area",
               "location": "Bengaluru", "pinCode": "560001", "stateCode": "29"},
    "buyer": {"gstin": "27FGHIJ5678K1Z2", "legalName": "Globex Pvt Ltd", "address1": "8 MG Road",
              "location": "Mumbai", "pinCode": "400001", "stateCode": "27"},
    "lines": [{"lineNumber": 1, "productDescription": "Consulting services", "isService": True, "hsnCode": "998314",
               "unitPrice": money(Decimal("10000")), "assessableValue": money(Decimal("10000")),
               "gstRate": money(Decimal("18")), "igstAmount": money(Decimal("1800")),
               "totalItemValue": money(Decimal("11800"))}],
    "totals": {"assessableValue": money(Decimal("10000")), "totalIgstValue": money(Decimal("1800")),
               "totalInvoiceValue": money(Decimal("11800"))},
}
QUICKSTART_CANONICAL = {
    "documentDetails": doc("INV-2026-00001", "2026-05-04"),
    "transactionDetails": tran("B2B", reverseCharge="N"),
    "seller": {"gstin": "29ABCDE1234F1Z5", "legalName": "Acme Pvt Ltd", "address1": "12 Industrial Area",
               "location": "Bengaluru", "pincode": 560001, "stateCode": "29"},
    "buyer": {"gstin": "27FGHIJ5678K1Z2", "legalName": "Globex Pvt Ltd", "placeOfSupplyStateCode": "29",
              "address1": "8 MG Road", "location": "Mumbai", "pincode": 400001, "stateCode": "27"},
    "items": [{"serialNumber": "1", "productDescription": "Consulting services", "isService": "Y",
               "hsnCode": "998314", "unitPrice": money(Decimal("10000")), "totalAmount": money(Decimal("10000")),
               "assessableAmount": money(Decimal("10000")), "gstRate": money(Decimal("18")),
               "igstAmount": money(Decimal("1800")), "totalItemValue": money(Decimal("11800"))}],
    "valueDetails": {"assessableValue": money(Decimal("10000")), "igstValue": money(Decimal("1800")),
                     "totalInvoiceValue": money(Decimal("11800"))},
}


def files():
    for name, v in VECTORS.items():
        c = v["canonical"]
        out = {"description": v["description"], "dialect": "canonical", "input": c, "canonical": c,
               "nic": to_nic(c), "irn": irn(c)}
        yield HERE / f"{name}.json", dump(out)
    out = {"description": "The flat quickstart body of seed 002, verbatim, normalised to canonical and NIC",
           "dialect": "flat", "input": QUICKSTART, "canonical": QUICKSTART_CANONICAL,
           "nic": to_nic(QUICKSTART_CANONICAL), "irn": irn(QUICKSTART_CANONICAL)}
    yield HERE / "flat-quickstart.json", dump(out)
    yield HERE.parent / "einvoice-parse" / "bad-inputs.json", dump(bad_inputs())


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


def mutate(base, path, value=None, delete=False):
    """A deep copy of `base` with the JSON pointer `path` set to `value` (or deleted)."""
    doc = json.loads(json.dumps(base))
    parts = path.strip("/").split("/")
    cur = doc
    for p in parts[:-1]:
        cur = cur[int(p)] if isinstance(cur, list) else cur[p]
    last = parts[-1]
    if delete:
        del cur[last]
    elif isinstance(cur, list):
        cur[int(last)] = value
    else:
        cur[last] = value
    return doc


def bad_inputs():
    """Documents that must not parse, with the finding each must produce (path in the dialect sent)."""
    c = VECTORS["b2b-inter"]["canonical"]
    f = QUICKSTART
    nic = to_nic(c)
    cases = [
        ("canonical: unknown top-level field", mutate(c, "/invoiceTotal", "#1"), "/invoiceTotal", "parse.unknown_field"),
        ("canonical: unknown field in an item", mutate(c, "/items/1/colour", "red"), "/items/1/colour", "parse.unknown_field"),
        ("canonical: seller GSTIN missing", mutate(c, "/seller/gstin", delete=True), "/seller/gstin", "parse.missing_field"),
        ("canonical: items missing", mutate(c, "/items", delete=True), "/items", "parse.missing_field"),
        ("canonical: date in NIC form", mutate(c, "/documentDetails/date", "20/11/2026"), "/documentDetails/date", "parse.invalid_date"),
        ("canonical: impossible date", mutate(c, "/documentDetails/date", "2026-02-30"), "/documentDetails/date", "parse.invalid_date"),
        ("canonical: B2C is not an IRP supply type", mutate(c, "/transactionDetails/supplyType", "B2C"), "/transactionDetails/supplyType", "parse.invalid_value"),
        ("canonical: amount as text that is not a number", mutate(c, "/items/0/unitPrice", "15,999.99"), "/items/0/unitPrice", "parse.invalid_number"),
        ("canonical: amount as a boolean", mutate(c, "/valueDetails/totalInvoiceValue", True), "/valueDetails/totalInvoiceValue", "parse.invalid_number"),
        ("canonical: reverse charge neither Y/N nor boolean", mutate(c, "/transactionDetails/reverseCharge", "YES"), "/transactionDetails/reverseCharge", "parse.invalid_value"),
        ("canonical: items is an object", mutate(c, "/items", {"x": 1}), "/items", "parse.invalid_type"),
        ("canonical: PIN code with letters", mutate(c, "/buyer/pincode", "40OO01"), "/buyer/pincode", "parse.invalid_value"),
        ("canonical: unknown transport mode", mutate(VECTORS["with-ewb"]["canonical"], "/eWayBillDetails/transportMode", "7"), "/eWayBillDetails/transportMode", "parse.invalid_value"),
        ("canonical: preceding document date wrong", mutate(VECTORS["crn"]["canonical"], "/referenceDetails/precedingDocuments/0/date", "2026-13-01"), "/referenceDetails/precedingDocuments/0/date", "parse.invalid_date"),
        ("flat: unknown field on a line", mutate(f, "/lines/0/hsn", "998314"), "/lines/0/hsn", "parse.unknown_field"),
        ("flat: canonical name pincode beside pinCode", mutate(f, "/seller/pincode", 560001), "/seller/pincode", "parse.unknown_field"),
        ("flat: assessableValue missing on a line", mutate(f, "/lines/0/assessableValue", delete=True), "/lines/0/assessableValue", "parse.missing_field"),
        ("flat: invoice number missing", mutate(f, "/invoiceNumber", delete=True), "/invoiceNumber", "parse.missing_field"),
        ("flat: invoice date in the wrong format", mutate(f, "/invoiceDate", "04-05-2026"), "/invoiceDate", "parse.invalid_date"),
        ("flat: buyer pinCode not digits", mutate(f, "/buyer/pinCode", "Mumbai"), "/buyer/pinCode", "parse.invalid_value"),
        ("flat: totals field misspelt", mutate(f, "/totals/totalIGSTValue", "#1800"), "/totals/totalIGSTValue", "parse.unknown_field"),
        ("flat: financial year of another date", mutate(f, "/financialYear", "2025-26"), "/financialYear", "document.financial_year_mismatch"),
        ("flat: financial year malformed", mutate(f, "/financialYear", "2026-2027"), "/financialYear", "parse.invalid_value"),
        ("nic: Irn must not be sent", mutate(nic, "/Irn", "0" * 64), "/Irn", "parse.unknown_field"),
        ("nic: ISO date where NIC wants dd/mm/yyyy", mutate(nic, "/DocDtls/Dt", "2026-11-20"), "/DocDtls/Dt", "parse.invalid_date"),
        ("nic: IsServc not Y/N", mutate(nic, "/ItemList/0/IsServc", "X"), "/ItemList/0/IsServc", "parse.invalid_value"),
        ("nic: ValDtls missing", mutate(nic, "/ValDtls", delete=True), "/ValDtls", "parse.missing_field"),
    ]
    out = [{"description": d, "input": i, "findings": [{"path": p, "code": code}]} for d, i, p, code in cases]
    # A canonical name in place of the flat one is reported, and so is the flat field it replaced.
    out.append({"description": "flat: pincode instead of pinCode in the seller",
                "input": mutate(mutate(f, "/seller/pincode", 560001), "/seller/pinCode", delete=True),
                "findings": [{"path": "/seller/pincode", "code": "parse.unknown_field"},
                             {"path": "/seller/pinCode", "code": "parse.missing_field"}]})
    out.append({"description": "not JSON: an array", "input": [1, 2], "findings": [{"path": "", "code": "parse.not_an_object"}]})
    return out


if __name__ == "__main__":
    main()
