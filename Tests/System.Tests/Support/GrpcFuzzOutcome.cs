namespace VoiceAnalytics.System.Tests.Support;

/// <summary>One hostile gRPC call's result: HTTP status (0: connection reset), grpc-status and grpc-message.</summary>
public sealed record GrpcFuzzOutcome(int Variant, string Method, int HttpStatus, string GrpcStatus, string Message);
