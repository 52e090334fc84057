//! `--region`: one of Kaltura's regional clouds instead of a service URL.

use clap::ValueEnum;
use kaltura_runtime::regions::{self, Region};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RegionArg {
    /// United States, https://www.kaltura.com (the default service URL)
    Us,
    /// European Union, https://api.eu.kaltura.com
    Eu,
    /// Asia-Pacific, https://api.ap.kaltura.com
    Ap,
    /// Singapore, https://api.sg.kaltura.com
    Sg,
    /// Canada, https://api.ca.kaltura.com
    Ca,
    /// Germany, https://api.de.kaltura.com
    De,
}

impl RegionArg {
    pub fn region(self) -> Region {
        match self {
            RegionArg::Us => regions::US,
            RegionArg::Eu => regions::EU,
            RegionArg::Ap => regions::AP,
            RegionArg::Sg => regions::SG,
            RegionArg::Ca => regions::CA,
            RegionArg::De => regions::DE,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_region_of_the_runtime_has_a_choice() {
        for region in regions::ALL {
            let arg = RegionArg::from_str(region.name, false).expect("a choice");
            assert_eq!(arg.region(), *region);
        }
        assert_eq!(RegionArg::value_variants().len(), regions::ALL.len());
    }
}
