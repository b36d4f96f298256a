//! The page's components, one per file. They render the engine's snapshot and call its verbs
//! through `crate::sim_context::Sim`; no protocol logic lives here.
pub mod checks_panel;
pub mod cluster_panel;
pub mod cluster_settings;
pub mod control_bar;
pub mod error_banner;
pub mod faults_panel;
pub mod header;
pub mod log_panel;
pub mod mesh;
pub mod mesh_view;
pub mod node_inspector;
pub mod notice;
pub mod orders;
pub mod orders_panel;
pub mod shop;
pub mod shop_panel;
pub mod side_panel;
pub mod timeline;

pub use checks_panel::ChecksPanel;
pub use cluster_panel::ClusterPanel;
pub use cluster_settings::ClusterSettings;
pub use control_bar::ControlBar;
pub use error_banner::ErrorBanner;
pub use faults_panel::FaultsPanel;
pub use header::Header;
pub use log_panel::LogPanel;
pub use mesh_view::MeshView;
pub use node_inspector::NodeInspector;
pub use notice::Notice;
pub use orders_panel::OrdersPanel;
pub use shop_panel::ShopPanel;
pub use side_panel::SidePanel;
pub use timeline::Timeline;
