namespace VoiceAnalytics.AppHost.Orchestration;

/// <summary>
/// How to start one child process. <paramref name="DeathSignal"/> is what the child receives if the AppHost dies
/// without stopping it (SIGTERM for services, SIGINT — a fast shutdown — for Postgres).
/// </summary>
internal sealed record ProcessSpec(
    string FileName,
    IReadOnlyList<string> Arguments,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string?> Environment,
    string? RunAsUser = null,
    string DeathSignal = "TERM");
