//! Replays the e-way bill vectors in tests/vectors/ewaybill/ (the files the C, WASM and binding
//! suites replay too), and checks the NIC JSON of one bill key by key.

use std::fmt::Debug;
use std::path::{Path, PathBuf};

use onefinops_core::ewaybill::nic::{from_nic, to_nic};
use onefinops_core::ewaybill::response::{error_reply, parse_error_reply, GenerateReply};
use onefinops_core::ewaybill::{
    CancelEWayBill, EWayBill, EwbByIrn, ExtendValidity, NicAction, NicCancelEWayBill, NicEWayBill,
    NicEwbByIrn, NicExtendValidity, NicPartBUpdate, NicRejectEWayBill, NicUpdateTransporter,
    PartBUpdate, RejectEWayBill, UpdateTransporter,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/ewaybill")
}

fn load_all() -> Vec<(String, Value)> {
    let mut files: Vec<_> = std::fs::read_dir(vectors_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let v = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, v)
        })
        .collect()
}

fn load(file: &str) -> Value {
    let text = std::fs::read_to_string(vectors_dir().join(file)).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// canonical JSON -> C -> canonical JSON, C -> NIC JSON, NIC JSON -> N -> C, all exact.
fn replay<C, N>(name: &str, v: &Value, c_to_nic: impl Fn(&C) -> N, nic_to_c: impl Fn(N) -> C)
where
    C: Serialize + DeserializeOwned + PartialEq + Debug,
    N: NicAction + DeserializeOwned + PartialEq + Debug + Clone,
{
    assert_eq!(v["action"], json!(N::ACTION), "{name}: action");
    replay_payload(name, v, c_to_nic, nic_to_c);
}

fn replay_payload<C, N>(
    name: &str,
    v: &Value,
    c_to_nic: impl Fn(&C) -> N,
    nic_to_c: impl Fn(N) -> C,
) where
    C: Serialize + DeserializeOwned + PartialEq + Debug,
    N: Serialize + DeserializeOwned + PartialEq + Debug + Clone,
{
    let canonical: C = serde_json::from_value(v["canonical"].clone())
        .unwrap_or_else(|e| panic!("{name}: canonical does not parse: {e}"));
    assert_eq!(
        serde_json::to_value(&canonical).unwrap(),
        v["canonical"],
        "{name}: canonical written back"
    );

    let nic = c_to_nic(&canonical);
    assert_eq!(
        serde_json::to_value(&nic).unwrap(),
        v["nic"],
        "{name}: canonical -> NIC"
    );
    assert_eq!(
        nic_to_c(nic.clone()),
        canonical,
        "{name}: canonical -> NIC -> canonical"
    );

    let parsed: N = serde_json::from_value(v["nic"].clone())
        .unwrap_or_else(|e| panic!("{name}: NIC JSON does not parse: {e}"));
    assert_eq!(parsed, nic, "{name}: NIC struct");
    let back = nic_to_c(parsed);
    assert_eq!(back, canonical, "{name}: NIC -> canonical");
    assert_eq!(
        serde_json::to_value(&back).unwrap(),
        v["canonical"],
        "{name}: NIC -> canonical JSON"
    );
}

#[test]
fn every_vector_maps_exactly_both_ways() {
    let vectors = load_all();
    assert!(
        vectors.len() >= 12,
        "expected the e-way bill vectors, found {}",
        vectors.len()
    );
    let mut kinds = std::collections::BTreeSet::new();
    for (name, v) in &vectors {
        let kind = v["kind"].as_str().unwrap_or_else(|| panic!("{name}: kind"));
        assert!(v["description"].is_string(), "{name}: description");
        kinds.insert(kind.to_owned());
        match kind {
            "generate" => replay::<EWayBill, NicEWayBill>(name, v, to_nic, from_nic),
            "part_b" => replay(name, v, PartBUpdate::to_nic, PartBUpdate::from_nic),
            "extend" => replay(name, v, ExtendValidity::to_nic, ExtendValidity::from_nic),
            "cancel" => replay(name, v, CancelEWayBill::to_nic, CancelEWayBill::from_nic),
            "reject" => replay(name, v, RejectEWayBill::to_nic, RejectEWayBill::from_nic),
            "transporter" => replay(
                name,
                v,
                UpdateTransporter::to_nic,
                UpdateTransporter::from_nic,
            ),
            "ewb_by_irn" => {
                assert!(v["action"].is_null(), "{name}: not a NIC EWB action");
                replay_payload(name, v, EwbByIrn::to_nic, EwbByIrn::from_nic)
            }
            other => panic!("{name}: unknown kind {other}"),
        }
    }
    for kind in [
        "generate",
        "part_b",
        "extend",
        "cancel",
        "reject",
        "transporter",
        "ewb_by_irn",
    ] {
        assert!(kinds.contains(kind), "no vector of kind {kind}");
    }
}

#[test]
fn nic_json_of_outward_road_key_by_key() {
    let v = load("generate-outward-road.json");
    let ewb: EWayBill = serde_json::from_value(v["canonical"].clone()).unwrap();
    let n = serde_json::to_value(to_nic(&ewb)).unwrap();
    let expect = [
        ("userGstin", json!("29AAACO1234F1ZS")),
        ("supplyType", json!("O")),
        ("subSupplyType", json!(1)),
        ("docType", json!("INV")),
        ("docNo", json!("OFO/22-23/0042")),
        ("docDate", json!("05/10/2022")),
        ("fromGstin", json!("29AAACO1234F1ZS")),
        ("fromTrdName", json!("OneFinOps Demo Apparel Pvt Ltd")),
        ("fromAddr1", json!("12 MG Road")),
        ("fromAddr2", json!("Ashok Nagar")),
        ("fromPlace", json!("Bengaluru")),
        ("fromPincode", json!(560001)),
        ("fromStateCode", json!(29)),
        ("actFromStateCode", json!(29)),
        ("toGstin", json!("29AAKCK5678M1ZJ")),
        ("toTrdName", json!("Kaveri Traders")),
        ("toAddr1", json!("45 Industrial Suburb")),
        ("toAddr2", json!("Hebbal")),
        ("toPlace", json!("Mysuru")),
        ("toPincode", json!(570016)),
        ("toStateCode", json!(29)),
        ("actToStateCode", json!(29)),
        ("transactionType", json!(1)),
        ("transporterId", json!("29AAFCD4455H1ZH")),
        ("transporterName", json!("Deccan Roadways")),
        ("transMode", json!("1")),
        ("transDistance", json!("100")),
        ("vehicleNo", json!("KA01AB1234")),
        ("vehicleType", json!("R")),
        ("mainHsnCode", json!(61091000)),
    ];
    let object = n.as_object().unwrap();
    for (key, value) in &expect {
        assert_eq!(object.get(*key), Some(value), "{key}");
    }
    // Amounts keep their written scale: 100 and 100.00 are different JSON numbers here.
    for (key, text) in [
        ("totalValue", "62500.00"),
        ("cgstValue", "2000.00"),
        ("sgstValue", "2000.00"),
        ("igstValue", "0"),
        ("cessValue", "0"),
        ("cessNonAdvolValue", "0"),
        ("otherValue", "-100.00"),
        ("totInvValue", "66400.00"),
    ] {
        assert_eq!(object[key].to_string(), text, "{key}");
    }
    let amounts = expect.len() + 8;
    assert_eq!(
        object.len(),
        amounts + 1,
        "no other keys than these and itemList"
    );

    let item = n["itemList"][0].as_object().unwrap();
    assert_eq!(item["itemNo"], json!(1));
    assert_eq!(item["productName"], json!("Cotton T-shirt"));
    assert_eq!(
        item["productDesc"],
        json!("Knitted cotton T-shirts, assorted sizes")
    );
    assert_eq!(item["hsnCode"], json!(61091000));
    assert_eq!(item["qtyUnit"], json!("NOS"));
    for (key, text) in [
        ("quantity", "200.000"),
        ("taxableAmount", "50000.00"),
        ("cgstRate", "2.5"),
        ("sgstRate", "2.5"),
        ("igstRate", "0"),
        ("cessRate", "0"),
        ("cessNonadvol", "0"),
    ] {
        assert_eq!(item[key].to_string(), text, "itemList[0].{key}");
    }
    assert_eq!(item.len(), 12);
}

#[test]
fn a_leading_zero_hsn_stays_a_string() {
    let v = load("generate-inward-import.json");
    assert_eq!(v["nic"]["itemList"][0]["hsnCode"], json!("0402"));
    assert_eq!(v["nic"]["itemList"][1]["hsnCode"], json!(85176290));
    assert_eq!(v["nic"]["mainHsnCode"], json!("0402"));
    assert_eq!(v["nic"]["transDistance"], json!("0"));
}

#[test]
fn nic_variants_from_peers_are_read() {
    // Numbers as strings, state codes as strings, the cessNonAdvol spelling, empty dates.
    let mut n = load("generate-outward-road.json")["nic"].clone();
    let canonical: EWayBill =
        serde_json::from_value(load("generate-outward-road.json")["canonical"].clone()).unwrap();
    n["transDistance"] = json!(100);
    n["fromStateCode"] = json!("29");
    n["subSupplyType"] = json!("1");
    n["transMode"] = json!(1);
    n["mainHsnCode"] = json!("61091000");
    n["transDocDate"] = json!("");
    for item in n["itemList"].as_array_mut().unwrap() {
        let v = item
            .as_object_mut()
            .unwrap()
            .remove("cessNonadvol")
            .unwrap();
        item["cessNonAdvol"] = v;
        item["hsnCode"] = json!(item["hsnCode"].to_string());
    }
    let parsed: NicEWayBill = serde_json::from_value(n).unwrap();
    assert_eq!(from_nic(parsed), canonical);
}

#[test]
fn wrong_payloads_are_refused() {
    let cancel = load("cancel.json");
    let mut bad = cancel["canonical"].clone();
    bad["reason"] = json!("changed_my_mind");
    let err = serde_json::from_value::<CancelEWayBill>(bad)
        .unwrap_err()
        .to_string();
    assert!(err.contains("unknown reason `changed_my_mind`"), "{err}");
    let mut bad = cancel["nic"].clone();
    bad["cancelRsnCode"] = json!(5);
    assert!(serde_json::from_value::<NicCancelEWayBill>(bad).is_err());

    let mut bad = load("extend-in-transit.json")["nic"].clone();
    bad["extnRsnCode"] = json!(3);
    let err = serde_json::from_value::<NicExtendValidity>(bad)
        .unwrap_err()
        .to_string();
    assert!(err.contains("unknown reason code 3"), "{err}");

    let mut bad = load("part-b.json")["canonical"].clone();
    bad["ewbNumber"] = json!(30100299992u64);
    assert!(serde_json::from_value::<PartBUpdate>(bad).is_err());
    let mut bad = load("part-b.json")["nic"].clone();
    bad["colour"] = json!("red");
    assert!(serde_json::from_value::<NicPartBUpdate>(bad).is_err());

    let mut bad = load("generate-outward-road.json")["canonical"].clone();
    bad["documentDetails"]["type"] = json!("CRN");
    assert!(serde_json::from_value::<EWayBill>(bad).is_err());
    let mut bad = load("generate-outward-road.json")["canonical"].clone();
    bad["transport"].as_object_mut().unwrap().remove("distance");
    let err = serde_json::from_value::<EWayBill>(bad)
        .unwrap_err()
        .to_string();
    assert!(err.contains("missing field `distance`"), "{err}");

    assert!(serde_json::from_value::<NicRejectEWayBill>(json!({"ewbNo": "abc"})).is_err());
    assert!(
        serde_json::from_value::<NicUpdateTransporter>(json!({"ewbNo": 301002999920u64})).is_err()
    );
    assert!(serde_json::from_value::<NicEwbByIrn>(json!({"Irn": "x", "Distance": 10})).is_err());
}

#[test]
fn reasons_by_name_and_by_number() {
    use onefinops_core::ewaybill::{EwayBillCancelReason, ExtensionReason, PartBReason};
    let by_name: PartBReason = serde_json::from_value(json!("transhipment")).unwrap();
    let by_number: PartBReason = serde_json::from_value(json!(2)).unwrap();
    assert_eq!(by_name, by_number);
    let e: ExtensionReason = serde_json::from_value(json!("accident")).unwrap();
    assert_eq!(e.code(), 5);
    let c: EwayBillCancelReason = serde_json::from_value(json!("4")).unwrap();
    assert_eq!(c, EwayBillCancelReason::Others);
    // The API writes names; NIC payloads carry numbers.
    assert_eq!(serde_json::to_value(c).unwrap(), json!("others"));
    let cancel = CancelEWayBill {
        ewb_number: "301002999920".parse().unwrap(),
        reason: c,
        remarks: String::new(),
    };
    assert_eq!(
        serde_json::to_value(cancel.to_nic()).unwrap()["cancelRsnCode"],
        json!(4)
    );
}

#[test]
fn ewb_reply_timestamps_and_error_codes() {
    let r: GenerateReply = serde_json::from_str(
        r#"{"ewayBillNo":301002999920,"ewayBillDate":"05/10/2022 12:39:00 PM","validUpto":"06/10/2022 11:59:00 PM","alert":""}"#,
    )
    .unwrap();
    assert_eq!(r.generated_at.to_rfc3339(), "2022-10-05T12:39:00+05:30");
    assert_eq!(
        r.valid_until.unwrap().to_rfc3339(),
        "2022-10-06T23:59:00+05:30"
    );

    // base64 of {"errorCodes":"238,604"}
    let body = r#"{"status":"0","error":"eyJlcnJvckNvZGVzIjoiMjM4LDYwNCJ9"}"#;
    assert_eq!(parse_error_reply(body).unwrap().codes, vec![238, 604]);
    let plain = json!({"status": "0", "error": {"errorCodes": 240}});
    assert_eq!(error_reply(&plain).unwrap().codes, vec![240]);
}
