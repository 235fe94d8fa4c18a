namespace VoiceAnalytics.Gateway.Lineage;

/// <summary>The kinds of <see cref="LineageStep"/>, in the order they take when two happen at the same instant.</summary>
public static class LineageStepKinds
{
    public const string Received = "received";
    public const string Spooled = "spooled";
    public const string Replayed = "replayed";
    public const string Stored = "stored";
    public const string Analysis = "analysis";
    public const string ExportAttempt = "export_attempt";
    public const string AdminRead = "admin_read";
    public const string AdminChange = "admin_change";
    public const string Rectification = "rectification";
    public const string Erasure = "erasure";
    public const string DroppedAfterErasure = "dropped_after_erasure";

    private static readonly string[] All =
        [Received, Spooled, Replayed, Stored, Analysis, ExportAttempt, AdminRead, AdminChange, Rectification, Erasure, DroppedAfterErasure];

    public static int Rank(string kind) => Array.IndexOf(All, kind) is var i and >= 0 ? i : All.Length;

    /// <summary>The kind of step an audit action is.</summary>
    public static string OfAuditAction(string action) => action switch
    {
        "conversation.read" or "conversation.lineage" or "subject.access" => AdminRead,
        "analysis.rectify" => Rectification,
        "subject.erasure" => Erasure,
        "webhook.dropped_erased" => DroppedAfterErasure,
        _ => AdminChange,
    };
}
