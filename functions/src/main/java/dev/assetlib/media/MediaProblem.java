package dev.assetlib.media;

/** Why media is refused: a stable code (FailureCode) and a message with the measured value and the limit. */
public record MediaProblem(String code, String message) {
    /** "CODE: message", as stored on a failed asset. */
    public String describe() {
        return code + ": " + message;
    }
}
