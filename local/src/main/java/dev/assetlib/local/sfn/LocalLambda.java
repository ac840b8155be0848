package dev.assetlib.local.sfn;

/**
 * An in-process Lambda function. It receives exactly the bytes Lambda would hand a
 * {@code RequestStreamHandler} and returns the bytes it would write, so a real handler can be
 * plugged in unchanged. A thrown exception is reported the way the Java Lambda runtime reports
 * it: Error = the exception's class name, Cause = {"errorMessage","errorType","stackTrace"}.
 */
@FunctionalInterface
public interface LocalLambda {
    byte[] invoke(byte[] payloadJson) throws Exception;
}
