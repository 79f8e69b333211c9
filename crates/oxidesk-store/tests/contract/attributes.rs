//! Custom attribute definitions: every field, keys unique per account and model, lists by model.

use oxidesk_domain::{
    AttributeDisplayType, AttributeModel, CustomAttributeDefinition, CustomAttributeDefinitionId,
};

use super::*;

fn definition(
    account: AccountId,
    key: &str,
    model: AttributeModel,
    display: AttributeDisplayType,
) -> CustomAttributeDefinition {
    CustomAttributeDefinition {
        id: CustomAttributeDefinitionId(0),
        account_id: account,
        attribute_key: key.into(),
        attribute_display_name: key.to_uppercase(),
        attribute_display_type: display,
        attribute_description: String::new(),
        attribute_model: model,
        attribute_values: Vec::new(),
        regex_pattern: None,
        regex_cue: None,
        default_value: None,
        created_at: at(0),
        updated_at: at(0),
    }
}

store_test!(definitions_round_trip_every_field, |db| async move {
    let acme = account(&db, "Acme").await;
    let mut plan = definition(
        acme.id,
        "plan",
        AttributeModel::Contact,
        AttributeDisplayType::List,
    );
    plan.attribute_display_name = "Plan".into();
    plan.attribute_description = "What they pay for".into();
    plan.attribute_values = vec!["free".into(), "pro, \"plus\"".into(), "enterprise".into()];
    plan.regex_pattern = Some("^[a-z]+$".into());
    plan.regex_cue = Some("lower-case letters".into());
    plan.default_value = Some("free".into());
    let created = db.create_attribute_definition(&plan, at(8)).await.unwrap();
    assert_ne!(created.id, plan.id, "the given id is ignored");
    assert_eq!((created.created_at, created.updated_at), (at(8), at(8)));
    let expected = CustomAttributeDefinition {
        id: created.id,
        created_at: at(8),
        updated_at: at(8),
        ..plan
    };
    assert_eq!(created, expected);
    let listed = db
        .list_attribute_definitions(acme.id, None, None, 10)
        .await
        .unwrap();
    assert_eq!(listed, vec![expected]);
});

store_test!(keys_are_unique_per_account_and_model, |db| async move {
    let acme = account(&db, "Acme").await;
    let globex = account(&db, "Globex").await;
    let text = AttributeDisplayType::Text;
    let def = definition(acme.id, "plan", AttributeModel::Contact, text);
    db.create_attribute_definition(&def, at(0)).await.unwrap();
    assert_conflict(
        db.create_attribute_definition(&def, at(1)).await,
        "attribute_key",
    );
    let other_model = definition(acme.id, "plan", AttributeModel::Conversation, text);
    db.create_attribute_definition(&other_model, at(1))
        .await
        .unwrap();
    let other_account = definition(globex.id, "plan", AttributeModel::Contact, text);
    db.create_attribute_definition(&other_account, at(1))
        .await
        .unwrap();
});

store_test!(
    definitions_are_listed_by_model_and_deleted,
    |db| async move {
        let acme = account(&db, "Acme").await;
        let globex = account(&db, "Globex").await;
        let specs = [
            ("plan", AttributeModel::Contact, AttributeDisplayType::List),
            (
                "order",
                AttributeModel::Conversation,
                AttributeDisplayType::Number,
            ),
            ("since", AttributeModel::Contact, AttributeDisplayType::Date),
            (
                "rush",
                AttributeModel::Conversation,
                AttributeDisplayType::Checkbox,
            ),
            ("site", AttributeModel::Contact, AttributeDisplayType::Link),
        ];
        let mut created = Vec::new();
        for (key, model, display) in specs {
            let def = definition(acme.id, key, model, display);
            created.push(db.create_attribute_definition(&def, at(0)).await.unwrap());
            let theirs = definition(globex.id, key, model, display);
            db.create_attribute_definition(&theirs, at(0))
                .await
                .unwrap();
        }
        let keys = |defs: Vec<CustomAttributeDefinition>| {
            defs.into_iter()
                .map(|d| d.attribute_key)
                .collect::<Vec<_>>()
        };
        let list = |model: Option<AttributeModel>, after: Option<CustomAttributeDefinitionId>| {
            let db = db.clone();
            async move {
                db.list_attribute_definitions(acme.id, model, after, 2)
                    .await
                    .unwrap()
            }
        };
        let contact_model = Some(AttributeModel::Contact);
        assert_eq!(keys(list(contact_model, None).await), ["plan", "since"]);
        assert_eq!(
            keys(list(contact_model, Some(created[2].id)).await),
            ["site"]
        );
        let conversation_model = Some(AttributeModel::Conversation);
        assert_eq!(
            keys(list(conversation_model, None).await),
            ["order", "rush"]
        );
        assert!(
            list(conversation_model, Some(created[3].id))
                .await
                .is_empty()
        );
        assert_eq!(keys(list(None, None).await), ["plan", "order"]);
        assert_eq!(
            keys(list(None, Some(created[1].id)).await),
            ["since", "rush"]
        );

        db.delete_attribute_definition(acme.id, created[0].id)
            .await
            .unwrap();
        assert_eq!(keys(list(contact_model, None).await), ["since", "site"]);
        assert_not_found(db.delete_attribute_definition(acme.id, created[0].id).await);
        let theirs = db
            .list_attribute_definitions(globex.id, None, None, 10)
            .await
            .unwrap();
        assert_eq!(theirs.len(), 5);
    }
);
