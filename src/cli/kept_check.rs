//! `check` and `review` taking their findings as [`crate::kept`] keeps them: the documents
//! read whole or without their text, as [`kept::held_for`] says.

use std::path::Path;

use super::status_cmd::{load_timeline_for_rules, load_timeline_without_text, RulesArg};
use super::CliError;
use crate::kept::{self, Held, Holding};
use crate::model::{Date, Finding};
use crate::rules::Rule;
use crate::store::Store;
use crate::timeline::Timeline;

/// The findings on `as_of` of the store in `data`, as `check` gives them: those kept by the
/// last check for every group that did not change, the rules run on the others (and kept
/// for the next check). Returns the store and the status engine with them, if one was built:
/// when the last check under the same configuration saw the store as it is, its findings are
/// taken as they are, without reading a document; when documents were only added since, the
/// groups they join are read and checked alone ([`kept::local`]).
pub fn check_keeping(
    data: &Path,
    rules_arg: &RulesArg,
    rules: &[Rule],
    as_of: Date,
) -> Result<(Store, Option<Timeline>, Vec<Finding>), CliError> {
    let user = |e: kept::KeptError| CliError::User(e.to_string());
    let loaded = rules_arg.load()?;
    let (config, held, revision) = {
        let store = Store::open_existing(data).map_err(|e| CliError::User(e.to_string()))?;
        // Read before the documents: a later write is then seen as one.
        let revision = store
            .revision()
            .map_err(|e| CliError::User(e.to_string()))?;
        let config =
            kept::config_digest(&store, rules, &loaded.registry_text, &loaded.periods, as_of)
                .map_err(user)?;
        if let Some(findings) = kept::complete(&store, &config, revision).map_err(user)? {
            return Ok((store, None, findings));
        }
        let mut store = store;
        // Documents added since the last check: the groups they join only.
        if let Some(findings) = kept::local::run(
            &mut store,
            &config,
            revision,
            &loaded.registry,
            &loaded.registry_text,
            &loaded.periods,
            as_of,
            rules,
        )
        .map_err(user)?
        {
            return Ok((store, None, findings));
        }
        let held = kept::held_for(&store, &config);
        (config, held, revision)
    };
    let (mut store, mut timeline) = match held {
        Held::Whole => load_timeline_for_rules(data, rules_arg)?,
        Held::WithoutText => load_timeline_without_text(data, rules_arg)?,
    };
    let holding = match held {
        Held::Whole => Holding::Whole(&timeline, revision),
        Held::WithoutText => Holding::WithoutText(&mut timeline, revision),
    };
    let findings =
        kept::run(&mut store, holding, &loaded.periods, as_of, rules, &config).map_err(user)?;
    Ok((store, Some(timeline), findings))
}
