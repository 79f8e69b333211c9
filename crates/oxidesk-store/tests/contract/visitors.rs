//! What the website widget keeps beside its visitors and agents: when a visitor token was last
//! used (sliding expiry, migration 0021), and an agent's presence forgotten when they sign out.

use super::*;

store_test!(
    a_visitor_tokens_last_use_starts_at_creation_and_moves,
    |db| async move {
        let acme = account(&db, "Acme").await;
        let web = inbox(&db, acme.id, "web").await;
        let alice = contact(&db, acme.id, "Alice", None).await;
        let identity = db
            .create_contact_inbox(alice.id, web.id, "src-1", false, at(10))
            .await
            .unwrap();
        // Never used since it was made: its creation counts.
        assert_eq!(
            db.visitor_identity(web.id, "src-1").await.unwrap(),
            Some((identity.clone(), at(10)))
        );
        db.visitor_token_used(identity.id, at(500)).await.unwrap();
        assert_eq!(
            db.visitor_identity(web.id, "src-1").await.unwrap(),
            Some((identity.clone(), at(500)))
        );
        assert_eq!(db.visitor_identity(web.id, "src-2").await.unwrap(), None);
        let other = inbox(&db, acme.id, "other").await;
        assert_eq!(db.visitor_identity(other.id, "src-1").await.unwrap(), None);
    }
);

store_test!(
    signing_out_forgets_the_presence_in_every_account,
    |db| async move {
        let acme = account(&db, "Acme").await;
        let globex = account(&db, "Globex").await;
        let sam = agent(&db, acme.id, "sam@x.com").await;
        db.add_member(globex.id, sam.id, Role::Agent, at(1))
            .await
            .unwrap();
        let kim = agent(&db, acme.id, "kim@x.com").await;
        for (account, user) in [(acme.id, sam.id), (globex.id, sam.id), (acme.id, kim.id)] {
            db.touch_presence(account, user, at(100)).await.unwrap();
        }
        db.clear_presence(sam.id).await.unwrap();
        for (_, membership) in db.memberships_of(sam.id).await.unwrap() {
            assert_eq!(membership.last_seen_at, None);
        }
        let (_, kims) = &db.memberships_of(kim.id).await.unwrap()[0];
        assert_eq!(
            kims.last_seen_at,
            Some(at(100)),
            "another agent keeps theirs"
        );
    }
);
