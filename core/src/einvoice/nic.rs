//! NIC's e-invoice schema v1.1 (the IRP's JSON) and the lossless mapping to and from the
//! canonical model.
//!
//! The structs here are NIC's shapes with NIC's short names (`TranDtls.SupTyp`,
//! `ItemList[].AssAmt`, ...), dates as `dd/mm/yyyy` and flags as `Y`/`N`. [`to_nic`] and
//! [`from_nic`] convert field by field; `from_nic(&to_nic(x)) == x` for every document, which the
//! round-trip tests check on every fixture. `Version` is always written as `"1.1"`. A NIC document
//! carrying an `Irn` is refused as an unknown field, as the IRP refuses it (nic-rules A.2).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::model::*;
use crate::transport::{TransportMode, VehicleType};
use crate::wire::{self, nic_struct};

/// The schema version NIC expects in `Version`.
pub const NIC_SCHEMA_VERSION: &str = "1.1";

/// An e-invoice in NIC's v1.1 JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct NicEInvoice {
    #[serde(rename = "Version")]
    pub version: String,
    #[serde(rename = "TranDtls")]
    pub tran_dtls: NicTranDtls,
    #[serde(rename = "DocDtls")]
    pub doc_dtls: NicDocDtls,
    #[serde(rename = "SellerDtls")]
    pub seller_dtls: NicSellerDtls,
    #[serde(rename = "BuyerDtls")]
    pub buyer_dtls: NicBuyerDtls,
    #[serde(rename = "DispDtls", default, skip_serializing_if = "Option::is_none")]
    pub disp_dtls: Option<NicDispDtls>,
    #[serde(rename = "ShipDtls", default, skip_serializing_if = "Option::is_none")]
    pub ship_dtls: Option<NicShipDtls>,
    #[serde(rename = "ItemList")]
    pub item_list: Vec<NicItem>,
    #[serde(rename = "ValDtls")]
    pub val_dtls: NicValDtls,
    #[serde(rename = "PayDtls", default, skip_serializing_if = "Option::is_none")]
    pub pay_dtls: Option<NicPayDtls>,
    #[serde(rename = "RefDtls", default, skip_serializing_if = "Option::is_none")]
    pub ref_dtls: Option<NicRefDtls>,
    #[serde(
        rename = "AddlDocDtls",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub addl_doc_dtls: Option<Vec<NicAddlDocDtls>>,
    #[serde(rename = "ExpDtls", default, skip_serializing_if = "Option::is_none")]
    pub exp_dtls: Option<NicExpDtls>,
    #[serde(rename = "EwbDtls", default, skip_serializing_if = "Option::is_none")]
    pub ewb_dtls: Option<NicEwbDtls>,
}

nic_struct!(
    /// NIC `TranDtls`.
    NicTranDtls {
        tax_sch: TaxScheme = "TaxSch",
        sup_typ: SupplyType = "SupTyp",
        #[serde(default, with = "wire::yes_no::option", skip_serializing_if = "Option::is_none")]
        reg_rev: Option<bool> = "RegRev",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ecm_gstin: Option<String> = "EcmGstin",
        #[serde(default, with = "wire::yes_no::option", skip_serializing_if = "Option::is_none")]
        igst_on_intra: Option<bool> = "IgstOnIntra",
    }
);

nic_struct!(
    /// NIC `DocDtls`.
    NicDocDtls {
        typ: DocumentType = "Typ",
        no: String = "No",
        #[serde(with = "wire::nic_date")]
        dt: NaiveDate = "Dt",
    }
);

nic_struct!(
    /// NIC `SellerDtls`.
    NicSellerDtls {
        gstin: String = "Gstin",
        lgl_nm: String = "LglNm",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        trd_nm: Option<String> = "TrdNm",
        addr1: String = "Addr1",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        addr2: Option<String> = "Addr2",
        loc: String = "Loc",
        #[serde(with = "wire::unsigned")]
        pin: u32 = "Pin",
        #[serde(with = "wire::state_code")]
        stcd: String = "Stcd",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ph: Option<String> = "Ph",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        em: Option<String> = "Em",
    }
);

nic_struct!(
    /// NIC `BuyerDtls`.
    NicBuyerDtls {
        gstin: String = "Gstin",
        lgl_nm: String = "LglNm",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        trd_nm: Option<String> = "TrdNm",
        #[serde(with = "wire::state_code")]
        pos: String = "Pos",
        addr1: String = "Addr1",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        addr2: Option<String> = "Addr2",
        loc: String = "Loc",
        #[serde(default, with = "wire::unsigned::option", skip_serializing_if = "Option::is_none")]
        pin: Option<u32> = "Pin",
        #[serde(with = "wire::state_code")]
        stcd: String = "Stcd",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ph: Option<String> = "Ph",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        em: Option<String> = "Em",
    }
);

nic_struct!(
    /// NIC `DispDtls`.
    NicDispDtls {
        nm: String = "Nm",
        addr1: String = "Addr1",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        addr2: Option<String> = "Addr2",
        loc: String = "Loc",
        #[serde(with = "wire::unsigned")]
        pin: u32 = "Pin",
        #[serde(with = "wire::state_code")]
        stcd: String = "Stcd",
    }
);

nic_struct!(
    /// NIC `ShipDtls`.
    NicShipDtls {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        gstin: Option<String> = "Gstin",
        lgl_nm: String = "LglNm",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        trd_nm: Option<String> = "TrdNm",
        addr1: String = "Addr1",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        addr2: Option<String> = "Addr2",
        loc: String = "Loc",
        #[serde(with = "wire::unsigned")]
        pin: u32 = "Pin",
        #[serde(with = "wire::state_code")]
        stcd: String = "Stcd",
    }
);

nic_struct!(
    /// NIC `ItemList[]`.
    NicItem {
        sl_no: String = "SlNo",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        prd_desc: Option<String> = "PrdDesc",
        #[serde(with = "wire::yes_no")]
        is_servc: bool = "IsServc",
        hsn_cd: String = "HsnCd",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        barcde: Option<String> = "Barcde",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        qty: Option<Decimal> = "Qty",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        free_qty: Option<Decimal> = "FreeQty",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        unit: Option<String> = "Unit",
        unit_price: Decimal = "UnitPrice",
        tot_amt: Decimal = "TotAmt",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        discount: Option<Decimal> = "Discount",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pre_tax_val: Option<Decimal> = "PreTaxVal",
        ass_amt: Decimal = "AssAmt",
        gst_rt: Decimal = "GstRt",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        igst_amt: Option<Decimal> = "IgstAmt",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cgst_amt: Option<Decimal> = "CgstAmt",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sgst_amt: Option<Decimal> = "SgstAmt",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ces_rt: Option<Decimal> = "CesRt",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ces_amt: Option<Decimal> = "CesAmt",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ces_non_advl_amt: Option<Decimal> = "CesNonAdvlAmt",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        state_ces_rt: Option<Decimal> = "StateCesRt",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        state_ces_amt: Option<Decimal> = "StateCesAmt",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        state_ces_non_advl_amt: Option<Decimal> = "StateCesNonAdvlAmt",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        oth_chrg: Option<Decimal> = "OthChrg",
        tot_item_val: Decimal = "TotItemVal",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ord_line_ref: Option<String> = "OrdLineRef",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        org_cntry: Option<String> = "OrgCntry",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        prd_sl_no: Option<String> = "PrdSlNo",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        bch_dtls: Option<NicBchDtls> = "BchDtls",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        attrib_dtls: Option<Vec<NicAttribDtls>> = "AttribDtls",
    }
);

nic_struct!(
    /// NIC `BchDtls`.
    NicBchDtls {
        nm: String = "Nm",
        #[serde(default, with = "wire::nic_date::option", skip_serializing_if = "Option::is_none")]
        exp_dt: Option<NaiveDate> = "ExpDt",
        #[serde(default, with = "wire::nic_date::option", skip_serializing_if = "Option::is_none")]
        wr_dt: Option<NaiveDate> = "WrDt",
    }
);

nic_struct!(
    /// NIC `AttribDtls[]`.
    NicAttribDtls {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        nm: Option<String> = "Nm",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        val: Option<String> = "Val",
    }
);

nic_struct!(
    /// NIC `ValDtls`.
    NicValDtls {
        ass_val: Decimal = "AssVal",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cgst_val: Option<Decimal> = "CgstVal",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sgst_val: Option<Decimal> = "SgstVal",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        igst_val: Option<Decimal> = "IgstVal",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ces_val: Option<Decimal> = "CesVal",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        st_ces_val: Option<Decimal> = "StCesVal",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        discount: Option<Decimal> = "Discount",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        oth_chrg: Option<Decimal> = "OthChrg",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rnd_off_amt: Option<Decimal> = "RndOffAmt",
        tot_inv_val: Decimal = "TotInvVal",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tot_inv_val_fc: Option<Decimal> = "TotInvValFc",
    }
);

nic_struct!(
    /// NIC `PayDtls`.
    NicPayDtls {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        nm: Option<String> = "Nm",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        acc_det: Option<String> = "AccDet",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        mode: Option<String> = "Mode",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fin_ins_br: Option<String> = "FinInsBr",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pay_term: Option<String> = "PayTerm",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pay_instr: Option<String> = "PayInstr",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cr_trn: Option<String> = "CrTrn",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        dir_dr: Option<String> = "DirDr",
        #[serde(default, with = "wire::unsigned::option", skip_serializing_if = "Option::is_none")]
        cr_day: Option<u32> = "CrDay",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        paid_amt: Option<Decimal> = "PaidAmt",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        paymt_due: Option<Decimal> = "PaymtDue",
    }
);

nic_struct!(
    /// NIC `RefDtls`.
    NicRefDtls {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        inv_rm: Option<String> = "InvRm",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        doc_perd_dtls: Option<NicDocPerdDtls> = "DocPerdDtls",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        prec_doc_dtls: Option<Vec<NicPrecDocDtls>> = "PrecDocDtls",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        contr_dtls: Option<Vec<NicContrDtls>> = "ContrDtls",
    }
);

nic_struct!(
    /// NIC `DocPerdDtls`.
    NicDocPerdDtls {
        #[serde(with = "wire::nic_date")]
        inv_st_dt: NaiveDate = "InvStDt",
        #[serde(with = "wire::nic_date")]
        inv_end_dt: NaiveDate = "InvEndDt",
    }
);

nic_struct!(
    /// NIC `PrecDocDtls[]`.
    NicPrecDocDtls {
        inv_no: String = "InvNo",
        #[serde(with = "wire::nic_date")]
        inv_dt: NaiveDate = "InvDt",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        oth_ref_no: Option<String> = "OthRefNo",
    }
);

nic_struct!(
    /// NIC `ContrDtls[]`.
    NicContrDtls {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rec_adv_refr: Option<String> = "RecAdvRefr",
        #[serde(default, with = "wire::nic_date::option", skip_serializing_if = "Option::is_none")]
        rec_adv_dt: Option<NaiveDate> = "RecAdvDt",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tend_refr: Option<String> = "TendRefr",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        contr_refr: Option<String> = "ContrRefr",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ext_refr: Option<String> = "ExtRefr",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        proj_refr: Option<String> = "ProjRefr",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        po_refr: Option<String> = "PORefr",
        #[serde(default, with = "wire::nic_date::option", skip_serializing_if = "Option::is_none")]
        po_ref_dt: Option<NaiveDate> = "PORefDt",
    }
);

nic_struct!(
    /// NIC `AddlDocDtls[]`.
    NicAddlDocDtls {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        url: Option<String> = "Url",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        docs: Option<String> = "Docs",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        info: Option<String> = "Info",
    }
);

nic_struct!(
    /// NIC `ExpDtls`.
    NicExpDtls {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ship_b_no: Option<String> = "ShipBNo",
        #[serde(default, with = "wire::nic_date::option", skip_serializing_if = "Option::is_none")]
        ship_b_dt: Option<NaiveDate> = "ShipBDt",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        port: Option<String> = "Port",
        #[serde(default, with = "wire::yes_no::option", skip_serializing_if = "Option::is_none")]
        ref_clm: Option<bool> = "RefClm",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        for_cur: Option<String> = "ForCur",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cnt_code: Option<String> = "CntCode",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        exp_duty: Option<Decimal> = "ExpDuty",
    }
);

nic_struct!(
    /// NIC `EwbDtls`.
    NicEwbDtls {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        trans_id: Option<String> = "TransId",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        trans_name: Option<String> = "TransName",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        trans_mode: Option<TransportMode> = "TransMode",
        #[serde(with = "wire::unsigned")]
        distance: u32 = "Distance",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        trans_doc_no: Option<String> = "TransDocNo",
        #[serde(default, with = "wire::nic_date::option", skip_serializing_if = "Option::is_none")]
        trans_doc_dt: Option<NaiveDate> = "TransDocDt",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        veh_no: Option<String> = "VehNo",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        veh_type: Option<VehicleType> = "VehType",
    }
);

/// Maps a canonical e-invoice to NIC's v1.1 JSON shape.
pub fn to_nic(inv: &EInvoice) -> NicEInvoice {
    let d = &inv.document_details;
    let t = &inv.transaction_details;
    let s = &inv.seller;
    let b = &inv.buyer;
    let v = &inv.value_details;
    NicEInvoice {
        version: NIC_SCHEMA_VERSION.to_owned(),
        tran_dtls: NicTranDtls {
            tax_sch: t.tax_scheme,
            sup_typ: t.supply_type,
            reg_rev: t.reverse_charge,
            ecm_gstin: t.ecom_gstin.clone(),
            igst_on_intra: t.igst_on_intra,
        },
        doc_dtls: NicDocDtls {
            typ: d.document_type,
            no: d.number.clone(),
            dt: d.date,
        },
        seller_dtls: NicSellerDtls {
            gstin: s.gstin.clone(),
            lgl_nm: s.legal_name.clone(),
            trd_nm: s.trade_name.clone(),
            addr1: s.address1.clone(),
            addr2: s.address2.clone(),
            loc: s.location.clone(),
            pin: s.pincode,
            stcd: s.state_code.clone(),
            ph: s.phone.clone(),
            em: s.email.clone(),
        },
        buyer_dtls: NicBuyerDtls {
            gstin: b.gstin.clone(),
            lgl_nm: b.legal_name.clone(),
            trd_nm: b.trade_name.clone(),
            pos: b.place_of_supply_state_code.clone(),
            addr1: b.address1.clone(),
            addr2: b.address2.clone(),
            loc: b.location.clone(),
            pin: b.pincode,
            stcd: b.state_code.clone(),
            ph: b.phone.clone(),
            em: b.email.clone(),
        },
        disp_dtls: inv.dispatch_from.as_ref().map(|x| NicDispDtls {
            nm: x.name.clone(),
            addr1: x.address1.clone(),
            addr2: x.address2.clone(),
            loc: x.location.clone(),
            pin: x.pincode,
            stcd: x.state_code.clone(),
        }),
        ship_dtls: inv.ship_to.as_ref().map(|x| NicShipDtls {
            gstin: x.gstin.clone(),
            lgl_nm: x.legal_name.clone(),
            trd_nm: x.trade_name.clone(),
            addr1: x.address1.clone(),
            addr2: x.address2.clone(),
            loc: x.location.clone(),
            pin: x.pincode,
            stcd: x.state_code.clone(),
        }),
        item_list: inv.items.iter().map(item_to_nic).collect(),
        val_dtls: NicValDtls {
            ass_val: v.assessable_value,
            cgst_val: v.cgst_value,
            sgst_val: v.sgst_value,
            igst_val: v.igst_value,
            ces_val: v.cess_value,
            st_ces_val: v.state_cess_value,
            discount: v.discount,
            oth_chrg: v.other_charges,
            rnd_off_amt: v.round_off_amount,
            tot_inv_val: v.total_invoice_value,
            tot_inv_val_fc: v.total_invoice_value_foreign_currency,
        },
        pay_dtls: inv.payment_details.as_ref().map(|p| NicPayDtls {
            nm: p.payee_name.clone(),
            acc_det: p.account_details.clone(),
            mode: p.mode.clone(),
            fin_ins_br: p.financial_institution_branch.clone(),
            pay_term: p.payment_terms.clone(),
            pay_instr: p.payment_instruction.clone(),
            cr_trn: p.credit_transfer.clone(),
            dir_dr: p.direct_debit.clone(),
            cr_day: p.credit_days,
            paid_amt: p.paid_amount,
            paymt_due: p.payment_due,
        }),
        ref_dtls: inv.reference_details.as_ref().map(|r| NicRefDtls {
            inv_rm: r.invoice_remarks.clone(),
            doc_perd_dtls: r.document_period.as_ref().map(|p| NicDocPerdDtls {
                inv_st_dt: p.start_date,
                inv_end_dt: p.end_date,
            }),
            prec_doc_dtls: r.preceding_documents.as_ref().map(|docs| {
                docs.iter()
                    .map(|p| NicPrecDocDtls {
                        inv_no: p.number.clone(),
                        inv_dt: p.date,
                        oth_ref_no: p.other_reference.clone(),
                    })
                    .collect()
            }),
            contr_dtls: r.contracts.as_ref().map(|cs| {
                cs.iter()
                    .map(|c| NicContrDtls {
                        rec_adv_refr: c.receipt_advice_reference.clone(),
                        rec_adv_dt: c.receipt_advice_date,
                        tend_refr: c.tender_reference.clone(),
                        contr_refr: c.contract_reference.clone(),
                        ext_refr: c.external_reference.clone(),
                        proj_refr: c.project_reference.clone(),
                        po_refr: c.po_reference.clone(),
                        po_ref_dt: c.po_reference_date,
                    })
                    .collect()
            }),
        }),
        addl_doc_dtls: inv.additional_documents.as_ref().map(|docs| {
            docs.iter()
                .map(|a| NicAddlDocDtls {
                    url: a.url.clone(),
                    docs: a.document.clone(),
                    info: a.info.clone(),
                })
                .collect()
        }),
        exp_dtls: inv.export_details.as_ref().map(|e| NicExpDtls {
            ship_b_no: e.shipping_bill_number.clone(),
            ship_b_dt: e.shipping_bill_date,
            port: e.port_code.clone(),
            ref_clm: e.refund_claim,
            for_cur: e.foreign_currency.clone(),
            cnt_code: e.country_code.clone(),
            exp_duty: e.export_duty,
        }),
        ewb_dtls: inv.e_way_bill_details.as_ref().map(|e| NicEwbDtls {
            trans_id: e.transporter_id.clone(),
            trans_name: e.transporter_name.clone(),
            trans_mode: e.transport_mode,
            distance: e.distance,
            trans_doc_no: e.transport_document_number.clone(),
            trans_doc_dt: e.transport_document_date,
            veh_no: e.vehicle_number.clone(),
            veh_type: e.vehicle_type,
        }),
    }
}

fn item_to_nic(i: &Item) -> NicItem {
    NicItem {
        sl_no: i.serial_number.clone(),
        prd_desc: i.product_description.clone(),
        is_servc: i.is_service,
        hsn_cd: i.hsn_code.clone(),
        barcde: i.barcode.clone(),
        qty: i.quantity,
        free_qty: i.free_quantity,
        unit: i.unit.clone(),
        unit_price: i.unit_price,
        tot_amt: i.total_amount,
        discount: i.discount,
        pre_tax_val: i.pre_tax_value,
        ass_amt: i.assessable_amount,
        gst_rt: i.gst_rate,
        igst_amt: i.igst_amount,
        cgst_amt: i.cgst_amount,
        sgst_amt: i.sgst_amount,
        ces_rt: i.cess_rate,
        ces_amt: i.cess_amount,
        ces_non_advl_amt: i.cess_non_advol_amount,
        state_ces_rt: i.state_cess_rate,
        state_ces_amt: i.state_cess_amount,
        state_ces_non_advl_amt: i.state_cess_non_advol_amount,
        oth_chrg: i.other_charges,
        tot_item_val: i.total_item_value,
        ord_line_ref: i.order_line_reference.clone(),
        org_cntry: i.origin_country.clone(),
        prd_sl_no: i.product_serial_number.clone(),
        bch_dtls: i.batch.as_ref().map(|b| NicBchDtls {
            nm: b.name.clone(),
            exp_dt: b.expiry_date,
            wr_dt: b.warranty_date,
        }),
        attrib_dtls: i.attributes.as_ref().map(|attrs| {
            attrs
                .iter()
                .map(|a| NicAttribDtls {
                    nm: a.name.clone(),
                    val: a.value.clone(),
                })
                .collect()
        }),
    }
}

/// Maps NIC's v1.1 JSON shape to the canonical e-invoice. `Version` is not kept: the canonical
/// model is version-free and [`to_nic`] always writes the current version.
pub fn from_nic(n: NicEInvoice) -> EInvoice {
    let t = n.tran_dtls;
    let d = n.doc_dtls;
    let s = n.seller_dtls;
    let b = n.buyer_dtls;
    let v = n.val_dtls;
    EInvoice {
        document_details: DocumentDetails {
            document_type: d.typ,
            number: d.no,
            date: d.dt,
        },
        transaction_details: TransactionDetails {
            tax_scheme: t.tax_sch,
            supply_type: t.sup_typ,
            reverse_charge: t.reg_rev,
            ecom_gstin: t.ecm_gstin,
            igst_on_intra: t.igst_on_intra,
        },
        seller: Seller {
            gstin: s.gstin,
            legal_name: s.lgl_nm,
            trade_name: s.trd_nm,
            address1: s.addr1,
            address2: s.addr2,
            location: s.loc,
            pincode: s.pin,
            state_code: s.stcd,
            phone: s.ph,
            email: s.em,
        },
        buyer: Buyer {
            gstin: b.gstin,
            legal_name: b.lgl_nm,
            trade_name: b.trd_nm,
            place_of_supply_state_code: b.pos,
            address1: b.addr1,
            address2: b.addr2,
            location: b.loc,
            pincode: b.pin,
            state_code: b.stcd,
            phone: b.ph,
            email: b.em,
        },
        dispatch_from: n.disp_dtls.map(|x| DispatchFrom {
            name: x.nm,
            address1: x.addr1,
            address2: x.addr2,
            location: x.loc,
            pincode: x.pin,
            state_code: x.stcd,
        }),
        ship_to: n.ship_dtls.map(|x| ShipTo {
            gstin: x.gstin,
            legal_name: x.lgl_nm,
            trade_name: x.trd_nm,
            address1: x.addr1,
            address2: x.addr2,
            location: x.loc,
            pincode: x.pin,
            state_code: x.stcd,
        }),
        items: n.item_list.into_iter().map(item_from_nic).collect(),
        value_details: ValueDetails {
            assessable_value: v.ass_val,
            cgst_value: v.cgst_val,
            sgst_value: v.sgst_val,
            igst_value: v.igst_val,
            cess_value: v.ces_val,
            state_cess_value: v.st_ces_val,
            discount: v.discount,
            other_charges: v.oth_chrg,
            round_off_amount: v.rnd_off_amt,
            total_invoice_value: v.tot_inv_val,
            total_invoice_value_foreign_currency: v.tot_inv_val_fc,
        },
        payment_details: n.pay_dtls.map(|p| PaymentDetails {
            payee_name: p.nm,
            account_details: p.acc_det,
            mode: p.mode,
            financial_institution_branch: p.fin_ins_br,
            payment_terms: p.pay_term,
            payment_instruction: p.pay_instr,
            credit_transfer: p.cr_trn,
            direct_debit: p.dir_dr,
            credit_days: p.cr_day,
            paid_amount: p.paid_amt,
            payment_due: p.paymt_due,
        }),
        reference_details: n.ref_dtls.map(|r| ReferenceDetails {
            invoice_remarks: r.inv_rm,
            document_period: r.doc_perd_dtls.map(|p| DocumentPeriod {
                start_date: p.inv_st_dt,
                end_date: p.inv_end_dt,
            }),
            preceding_documents: r.prec_doc_dtls.map(|docs| {
                docs.into_iter()
                    .map(|p| PrecedingDocument {
                        number: p.inv_no,
                        date: p.inv_dt,
                        other_reference: p.oth_ref_no,
                    })
                    .collect()
            }),
            contracts: r.contr_dtls.map(|cs| {
                cs.into_iter()
                    .map(|c| ContractReference {
                        receipt_advice_reference: c.rec_adv_refr,
                        receipt_advice_date: c.rec_adv_dt,
                        tender_reference: c.tend_refr,
                        contract_reference: c.contr_refr,
                        external_reference: c.ext_refr,
                        project_reference: c.proj_refr,
                        po_reference: c.po_refr,
                        po_reference_date: c.po_ref_dt,
                    })
                    .collect()
            }),
        }),
        additional_documents: n.addl_doc_dtls.map(|docs| {
            docs.into_iter()
                .map(|a| AdditionalDocument {
                    url: a.url,
                    document: a.docs,
                    info: a.info,
                })
                .collect()
        }),
        export_details: n.exp_dtls.map(|e| ExportDetails {
            shipping_bill_number: e.ship_b_no,
            shipping_bill_date: e.ship_b_dt,
            port_code: e.port,
            refund_claim: e.ref_clm,
            foreign_currency: e.for_cur,
            country_code: e.cnt_code,
            export_duty: e.exp_duty,
        }),
        e_way_bill_details: n.ewb_dtls.map(|e| EWayBillDetails {
            transporter_id: e.trans_id,
            transporter_name: e.trans_name,
            transport_mode: e.trans_mode,
            distance: e.distance,
            transport_document_number: e.trans_doc_no,
            transport_document_date: e.trans_doc_dt,
            vehicle_number: e.veh_no,
            vehicle_type: e.veh_type,
        }),
    }
}

fn item_from_nic(i: NicItem) -> Item {
    Item {
        serial_number: i.sl_no,
        product_description: i.prd_desc,
        is_service: i.is_servc,
        hsn_code: i.hsn_cd,
        barcode: i.barcde,
        quantity: i.qty,
        free_quantity: i.free_qty,
        unit: i.unit,
        unit_price: i.unit_price,
        total_amount: i.tot_amt,
        discount: i.discount,
        pre_tax_value: i.pre_tax_val,
        assessable_amount: i.ass_amt,
        gst_rate: i.gst_rt,
        igst_amount: i.igst_amt,
        cgst_amount: i.cgst_amt,
        sgst_amount: i.sgst_amt,
        cess_rate: i.ces_rt,
        cess_amount: i.ces_amt,
        cess_non_advol_amount: i.ces_non_advl_amt,
        state_cess_rate: i.state_ces_rt,
        state_cess_amount: i.state_ces_amt,
        state_cess_non_advol_amount: i.state_ces_non_advl_amt,
        other_charges: i.oth_chrg,
        total_item_value: i.tot_item_val,
        order_line_reference: i.ord_line_ref,
        origin_country: i.org_cntry,
        product_serial_number: i.prd_sl_no,
        batch: i.bch_dtls.map(|b| Batch {
            name: b.nm,
            expiry_date: b.exp_dt,
            warranty_date: b.wr_dt,
        }),
        attributes: i.attrib_dtls.map(|attrs| {
            attrs
                .into_iter()
                .map(|a| Attribute {
                    name: a.nm,
                    value: a.val,
                })
                .collect()
        }),
    }
}
