package dev.assetlib.objects;

/**
 * How the media bucket's objects are encrypted at rest: SSE-S3 (AES256) by default, or SSE-KMS
 * with the given key when {@code MEDIA_KMS_KEY_ID} is set.
 */
public record MediaEncryption(String kmsKeyId) {
    public static final String KMS_KEY_ID = "MEDIA_KMS_KEY_ID";

    public static MediaEncryption s3Managed() {
        return new MediaEncryption(null);
    }

    public static MediaEncryption fromEnv(java.util.Map<String, String> env) {
        String v = env.get(KMS_KEY_ID);
        return v == null || v.isBlank() ? s3Managed() : new MediaEncryption(v.trim());
    }

    public boolean kms() {
        return kmsKeyId != null;
    }
}
