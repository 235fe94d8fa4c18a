namespace VoiceAnalytics.CrmService.Export;

/// <summary>
/// The analysis service did not answer a lead request (not started yet, restarting, overloaded). Transient: the
/// export waits and asks again; it says nothing about the analysis itself.
/// </summary>
public sealed class LeadSourceUnavailableException(string status, Exception innerException)
    : Exception($"The analysis service did not hand over the lead ({status}).", innerException)
{
    /// <summary>The gRPC status code (or exception type) of the failed call, for logs and the job's last error.</summary>
    public string Status { get; } = status;
}
