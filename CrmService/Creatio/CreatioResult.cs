namespace VoiceAnalytics.CrmService.Creatio;

/// <summary>What one call to Creatio came to. HTTP 200 alone is not success: <c>resultCode</c> 0 is.</summary>
/// <remarks>Transient: Worth a quick retry (transport error, timeout, 408/429/5xx); a definite answer is not. Message: Why it failed (no personal data: it comes from the CRM's status and result message).</remarks>
public sealed record CreatioResult(bool Success, bool Transient, int? HttpStatus, int? ResultCode, string Message, string? ExceptionType = null)
{
    public static CreatioResult Ok(int httpStatus, string message) => new(true, false, httpStatus, 0, message);

    public static CreatioResult Failed(int? httpStatus, string message, bool transient, int? resultCode = null, string? exceptionType = null) =>
        new(false, transient, httpStatus, resultCode, message, exceptionType);
}
