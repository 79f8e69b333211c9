use super::*;
use figment::Jail;

fn load_err() -> String {
    match Config::load(None) {
        Ok(config) => panic!("expected an error, got {config:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn defaults_listen_on_loopback_with_sqlite() {
    Jail::expect_with(|_| {
        let config = Config::load(None).map_err(|e| e.to_string())?;
        assert_eq!(config.bind.to_string(), "127.0.0.1:3000");
        assert_eq!(config.database_url(), "sqlite://./oxidesk-data/oxidesk.db");
        assert_eq!(config.brand.name, "Oxidesk");
        assert_eq!(config.public_url(), "http://127.0.0.1:3000");
        assert!(!config.is_https());
        assert_eq!(
            config.database.max_connections as usize,
            (2 * cores()).max(4),
            "the pool follows the cores"
        );
        Ok(())
    });
}

#[test]
fn file_then_environment() {
    Jail::expect_with(|jail| {
        jail.create_file(
            "oxidesk.toml",
            "bind = \"0.0.0.0:8080\"\nlog_level = \"debug\"\n[brand]\nname = \"Hoory\"\n[database]\nmax_connections = 4\n",
        )?;
        jail.set_env("OXIDESK_BRAND_NAME", "Bevatel");
        jail.set_env("OXIDESK_DATABASE_URL", "postgres://app:pw@db/oxidesk");
        jail.set_env("OXIDESK_PUBLIC_URL", "https://help.example.com/");
        let config = Config::load(None).map_err(|e| e.to_string())?;
        assert_eq!(config.bind.to_string(), "0.0.0.0:8080");
        assert_eq!(config.log_level, "debug");
        assert_eq!(
            config.brand.name, "Bevatel",
            "the environment wins over the file"
        );
        assert_eq!(config.database.max_connections, 4);
        assert_eq!(config.database_url(), "postgres://app:pw@db/oxidesk");
        assert_eq!(config.public_url(), "https://help.example.com");
        assert!(config.is_https());
        jail.set_env("OXIDESK_DATABASE__MAX_CONNECTIONS", "7");
        let config = Config::load(None).map_err(|e| e.to_string())?;
        assert_eq!(config.database.max_connections, 7, "__ nests too");
        Ok(())
    });
}

#[test]
fn tooling_variables_are_not_configuration() {
    Jail::expect_with(|jail| {
        // The process's environment is shared with the tests running beside this one:
        // variables they read (the test database, the config file) keep their value, when
        // they have one; the others are set to a dummy.
        for name in TOOLING_VARIABLES {
            let variable = format!("{ENV_PREFIX}{}", name.to_uppercase());
            match std::env::var(&variable) {
                Ok(value) => jail.set_env(&variable, value),
                Err(_) if ["test_database_url", "config"].contains(name) => {}
                Err(_) => jail.set_env(&variable, "1"),
            }
        }
        let config = Config::load(None).map_err(|e| e.to_string())?;
        assert_eq!(config, Config::default());
        jail.set_env("OXIDESK_BIDN", "127.0.0.1:1");
        let err = load_err();
        assert!(
            err.contains("bidn"),
            "other unknown variables are reported: {err}"
        );
        Ok(())
    });
}

#[test]
fn bad_values_name_their_key() {
    Jail::expect_with(|jail| {
        jail.set_env("OXIDESK_BIND", "not-an-address");
        let err = load_err();
        assert!(
            err.contains("bind") && err.contains("OXIDESK_BIND"),
            "{err}"
        );
        Ok(())
    });
    Jail::expect_with(|jail| {
        jail.set_env("OXIDESK_DATABASE_MAX_CONNECTIONS", "many");
        let err = load_err();
        assert!(err.contains("database.max_connections"), "{err}");
        Ok(())
    });
    Jail::expect_with(|jail| {
        jail.set_env("OXIDESK_DATABASE_URL", "mysql://root@localhost/x");
        let err = load_err();
        assert!(err.contains("database.url"), "{err}");
        Ok(())
    });
    Jail::expect_with(|jail| {
        jail.set_env("OXIDESK_SECRET_KEY", "short");
        assert!(load_err().contains("secret_key"));
        jail.set_env("OXIDESK_SECRET_KEY", "x".repeat(40));
        jail.set_env("OXIDESK_PUBLIC_URL", "help.example.com");
        assert!(load_err().contains("public_url"));
        jail.set_env("OXIDESK_PUBLIC_URL", "https://help.example.com");
        jail.set_env("OXIDESK_LOG_LEVEL", "loud[");
        assert!(load_err().contains("log_level"));
        Ok(())
    });
    Jail::expect_with(|jail| {
        jail.create_file("oxidesk.toml", "bnid = \"127.0.0.1:1\"\n")?;
        let err = load_err();
        assert!(err.contains("bnid"), "unknown keys are reported: {err}");
        Ok(())
    });
}

#[test]
fn a_named_config_file_must_exist() {
    Jail::expect_with(|_| {
        let err = Config::load(Some(Path::new("missing.toml")))
            .err()
            .map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.contains("missing.toml")));
        Ok(())
    });
}

#[test]
fn secrets_are_never_shown() {
    let config = Config {
        secret_key: Some("k".repeat(40)),
        database: DatabaseConfig {
            url: Some("postgres://app:hunter2@db/oxidesk".into()),
            max_connections: 3,
            acquire_timeout_secs: 5,
            message_writers: DEFAULT_MESSAGE_WRITERS,
        },
        ..Config::default()
    };
    for shown in [format!("{config:?}"), config.to_redacted_toml()] {
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(!shown.contains(&"k".repeat(40)), "{shown}");
    }
    let printed = config.to_redacted_toml();
    assert!(
        printed.contains("url = \"postgres://app:***@db/oxidesk\""),
        "{printed}"
    );
    assert!(printed.contains("max_connections = 3"));
}
