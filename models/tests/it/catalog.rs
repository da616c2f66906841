//! The shipped datasets load, every row carries a source, and overrides behave.

use std::path::PathBuf;
use vastplan_models::catalog::csvfile::CsvFile;
use vastplan_models::sizing::{size, Request};
use vastplan_models::units::Bytes;
use vastplan_models::{Catalog, Confidence, Param};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../datasets")
}

#[test]
fn every_dataset_loads() {
    let c = Catalog::load(&dir()).unwrap();
    assert!(c.shapes.len() >= 15);
    assert_eq!(c.gpu_vms.len(), 5);
    for id in [
        "L96s_v4",
        "L96as_v5",
        "L96aos_v5",
        "vast-df3120-gen6",
        "azstor-f1-hyp",
        "blob-hdd-lrs",
    ] {
        c.shape(id).unwrap();
    }
}

#[test]
fn every_csv_row_has_a_source_and_confidence() {
    for entry in std::fs::read_dir(dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "csv") {
            continue;
        }
        let f = CsvFile::read(
            &path,
            &["source", "confidence"],
            &[
                "id",
                "name",
                "item",
                "field",
                "value",
                "unit",
                "notes",
                "estimated_fields",
                "series",
                "vcpus",
                "memory_gib",
                "nvme_count",
                "nvme_size_gb",
                "read_iops",
                "read_mbps",
                "write_iops",
                "write_mbps",
                "network_mbps",
                "nics",
                "nic_type",
                "cpu",
                "host_fraction",
                "gpus",
                "gpu_model",
                "backend_gbps",
                "backend_fabric",
                "frontend_mbps",
                "frontend_nics",
                "local_nvme_tib",
                "component",
                "generation",
                "rack_units",
                "watts_avg",
                "watts_peak",
                "drives",
                "drive_tb",
                "nic_ports",
                "port_gbps",
                "read_gbps",
                "write_gbps",
                "cnode",
                "storage",
                "switch",
                "min_nodes",
                "min_cnodes",
                "usable_tb",
                "cnodes_per_chassis",
                "protocol_reference",
                "durability_nines",
                "drive_read_mbps",
                "dpu",
                "vendor",
                "ports",
                "total_gbps",
                "host_pcie_gbps",
                "cores",
                "dram_gb",
                "tier",
                "media",
                "redundancy",
                "raw_per_usable",
                "account_max_pib",
                "account_ingress_gbps",
                "account_egress_gbps",
                "drives_per_node",
                "rack_units_per_node",
                "watts_avg_per_node",
                "watts_peak_per_node",
                "workload",
                "accelerator",
                "record_bytes",
                "batch_size",
                "compute_s_per_step",
                "au_floor",
                "parameters",
                "layers",
                "kv_heads",
                "head_dim",
                "kv_dtype_bytes",
                "model",
                "form_factor",
                "capacity_tb",
                "watts",
                "usd_per_tb",
            ],
        )
        .unwrap();
        assert!(!f.rows.is_empty(), "{}", path.display());
        for r in &f.rows {
            r.source().unwrap();
            r.confidence().unwrap();
        }
    }
}

#[test]
fn l96aos_v5_uses_six_disks_not_the_printed_nine() {
    let c = Catalog::load(&dir()).unwrap();
    let s = c.shape("L96aos_v5").unwrap();
    assert_eq!(s.value("drives_per_node"), 6.0);
    assert_eq!(
        s.param("drives_per_node").unwrap().confidence,
        Confidence::Estimate
    );
    // 720 GB per vCPU x 96 vCPU.
    assert!((s.value("drives_per_node") * s.value("drive_bytes") - 720e9 * 96.0).abs() < 1.0);
}

#[test]
fn override_marks_user_and_changes_cost() {
    let mut c = Catalog::load(&dir()).unwrap();
    let req = Request::new(
        Bytes::from_pb(40.0),
        Param::new(1.2, "test", Confidence::Derived),
    );
    let before = size(&c, c.shape("L96as_v5").unwrap(), &req).unwrap();
    c.apply_override("L96as_v5", "price_usd_per_hour", 6.0)
        .unwrap();
    let after = size(&c, c.shape("L96as_v5").unwrap(), &req).unwrap();
    assert!(after.usd_per_month < before.usd_per_month);
    assert_eq!(after.least_confident().confidence, Confidence::User);
    assert_eq!(after.least_confident().name, "L96as_v5.price_usd_per_hour");
    c.apply_override("assumptions", "rack_kw_limit", 40.0)
        .unwrap();
    let e = c
        .apply_override("L96as_v5", "price_per_hour", 6.0)
        .unwrap_err();
    assert!(e.to_string().contains("price_usd_per_hour"), "{e}");
    assert!(c
        .apply_override("L96as_v6", "price_usd_per_hour", 6.0)
        .unwrap_err()
        .to_string()
        .contains("L96as_v5"));
    assert!(c.apply_override("assumptions", "no_such", 1.0).is_err());
}

#[test]
fn bad_dataset_reports_file_line_and_field() {
    let tmp = std::env::temp_dir().join(format!("vastplan-bad-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    for e in std::fs::read_dir(dir()).unwrap() {
        let p = e.unwrap().path();
        if !p.is_file() {
            continue;
        }
        std::fs::copy(&p, tmp.join(p.file_name().unwrap())).unwrap();
    }
    let vms = tmp.join("azure_storage_vms.csv");
    let text = std::fs::read_to_string(&vms).unwrap();
    let bad = text.replacen(",96,768,12,1920,", ",ninety-six,768,12,1920,", 1);
    std::fs::write(&vms, &bad).unwrap();
    let e = Catalog::load(&tmp).unwrap_err().to_string();
    let line = bad.lines().position(|l| l.contains("ninety-six")).unwrap() + 1;
    assert!(
        e.ends_with(&format!(
            "azure_storage_vms.csv:{line}: field `vcpus`: not a number: \"ninety-six\""
        )),
        "{e}"
    );
    std::fs::remove_dir_all(&tmp).ok();
}

#[test]
fn assumption_overrides_reach_vm_footprint() {
    let mut c = Catalog::load(&dir()).unwrap();
    let req = Request::new(
        Bytes::from_pb(40.0),
        Param::new(1.2, "test", Confidence::Derived),
    );
    let before = size(&c, c.shape("L96as_v5").unwrap(), &req).unwrap();
    c.apply_override("assumptions", "azure_servers_per_rack", 48.0)
        .unwrap();
    c.apply_override("assumptions", "rack_kw_limit", 100.0)
        .unwrap();
    c.apply_override("assumptions", "vast_cloud_min_vms", 2000.0)
        .unwrap();
    let after = size(&c, c.shape("L96as_v5").unwrap(), &req).unwrap();
    assert!(after.racks < before.racks);
    assert_eq!(after.nodes, 2000);
    assert_eq!(after.least_confident().confidence, Confidence::User);
}
