//! Whole-model checks after every item is read: inheritance links both ways, and no
//! class may be its own ancestor.

use crate::error::{ErrorKind, SchemaError};
use crate::model::*;

pub(crate) fn resolve(mut model: Model, source: &str) -> Result<Model, SchemaError> {
    check_cycles(&model, source)?;
    for i in 0..model.classes.len() {
        if let Some(base) = model.classes[i].base {
            model.classes[base.0 as usize]
                .children
                .push(ClassId(i as u32));
        }
    }
    Ok(model)
}

fn check_cycles(model: &Model, source: &str) -> Result<(), SchemaError> {
    // 0 = unvisited, 1 = on the current chain, 2 = known to reach a root.
    let mut state = vec![0u8; model.classes.len()];
    for start in 0..model.classes.len() {
        let mut chain = Vec::new();
        let mut cur = Some(start);
        while let Some(i) = cur {
            match state[i] {
                2 => break,
                1 => {
                    let from = chain.iter().position(|&c| c == i).unwrap_or(0);
                    let mut names: Vec<String> = chain[from..]
                        .iter()
                        .map(|&c: &usize| model.classes[c].name.clone())
                        .collect();
                    names.push(model.classes[i].name.clone());
                    let class = &model.classes[i];
                    return Err(SchemaError {
                        source: source.to_string(),
                        line: class.loc.line,
                        column: class.loc.column,
                        path: format!("xml/classes/class[{}]", class.name),
                        kind: ErrorKind::InheritanceCycle(names),
                    });
                }
                _ => {
                    state[i] = 1;
                    chain.push(i);
                    cur = model.classes[i].base.map(|b| b.0 as usize);
                }
            }
        }
        for c in chain {
            state[c] = 2;
        }
    }
    Ok(())
}
