namespace VoiceAnalytics.Gateway.Api;

/// <summary>
/// Why a webhook was refused: the <c>error</c> of the JSON answer and the <c>reason</c> tag of the rejected
/// counter. Nothing is stored for any of them.
/// </summary>
public static class WebhookRejection
{
    public const string IpNotAllowed = "ip_not_allowed";
    public const string RateLimited = "rate_limited";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string BodyTooLarge = "body_too_large";
    public const string BodyIncomplete = "body_incomplete";
    public const string MissingSignature = "missing_signature";
    public const string InvalidSignature = "invalid_signature";
    public const string StaleTimestamp = "stale_timestamp";
    public const string MalformedJson = "malformed_json";
    public const string MissingField = "missing_field";
    public const string FieldTooLong = "field_too_long";
    public const string InvalidAudio = "invalid_audio";
    public const string UnstorableValue = "unstorable_value";
    public const string SpoolUnavailable = "spool_unavailable";

    /// <summary>The HTTP status each reason is answered with.</summary>
    public static int StatusCodeOf(string reason) => reason switch
    {
        IpNotAllowed => StatusCodes.Status403Forbidden,
        RateLimited => StatusCodes.Status429TooManyRequests,
        UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        BodyTooLarge => StatusCodes.Status413PayloadTooLarge,
        MissingSignature or InvalidSignature or StaleTimestamp => StatusCodes.Status401Unauthorized,
        SpoolUnavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status400BadRequest,
    };
}
