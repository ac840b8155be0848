package dev.assetlib.local;

import dev.assetlib.security.ApiKeys;
import java.security.SecureRandom;

/** A development API key the stack registers at start, with the account it acts for. */
record DevKey(String key, String accountId) {
    DevKey {
        if (!ApiKeys.isWellFormed(key)) {
            throw new IllegalArgumentException("dev key \"" + key + "\" is not an API key: a key is alk_ followed by 43 of "
                    + "[A-Za-z0-9_-], e.g. " + ApiKeys.generate(new SecureRandom()));
        }
        if (accountId != null && !ApiKeys.isValidAccountId(accountId)) {
            throw new IllegalArgumentException("dev key account \"" + accountId + "\": account ids are 1 to 64 of [A-Za-z0-9._-]");
        }
    }

    /** {@code KEY} or {@code KEY=ACCOUNT}; without an account it gets one of its own later. */
    static DevKey parse(String text) {
        int eq = text.indexOf('=');
        return eq < 0 ? new DevKey(text.trim(), null) : new DevKey(text.substring(0, eq).trim(), text.substring(eq + 1).trim());
    }

    /**
     * The key kept in {@code file} (the data dir's dev-key), or a new random one written there, so
     * that a generated key stays the same across restarts.
     */
    static DevKey kept(java.nio.file.Path file, String accountId) {
        try {
            if (java.nio.file.Files.exists(file)) {
                return new DevKey(java.nio.file.Files.readString(file).trim(), accountId);
            }
            DevKey key = random(accountId);
            java.nio.file.Files.createDirectories(file.getParent());
            java.nio.file.Files.writeString(file, key.key() + "\n");
            return key;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot keep the development key in " + file + ": " + e.getMessage(), e);
        }
    }

    static DevKey random(String accountId) {
        return new DevKey(ApiKeys.generate(new SecureRandom()), accountId);
    }

    DevKey withAccount(String account) {
        return new DevKey(key, account);
    }
}
