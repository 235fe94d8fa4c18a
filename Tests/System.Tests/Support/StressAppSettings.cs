namespace VoiceAnalytics.System.Tests.Support;

/// <summary>How a stress run configures the whole app and its fakes.</summary>
public sealed record StressAppSettings
{
    /// <summary>False: no OPENAI_API_KEY, so the analysis service runs its offline analyzer (the fuzz run's choice).</summary>
    public bool UseFakeOpenAi { get; init; } = true;

    public TimeSpan LlmLatency { get; init; } = TimeSpan.FromMilliseconds(50);

    public TimeSpan CrmLatency { get; init; } = TimeSpan.FromMilliseconds(10);

    public int AnalyzeMaxConcurrency { get; init; } = 4;

    /// <summary>
    /// Job and throttle leases. The defaults (2 min, 3 min) are sized for real LLM calls; a kill -9 leaves the dead
    /// process's leases to expire, so a short lease lets recovery after the crash fit in a test run.
    /// </summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>First retry delay of a failed job (doubles per attempt); null keeps the service default (5 s).</summary>
    public TimeSpan? RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the CRM circuit breaker stays open (60 s by default in production).</summary>
    public int CrmBreakerOpenSeconds { get; init; } = 5;

    /// <summary>Largest webhook body; the fuzz run lowers it so oversized cases stay cheap.</summary>
    public int? WebhookMaxBodyBytes { get; init; }

    /// <summary>Extra environment per resource (name → variable → value).</summary>
    public IReadOnlyList<(string Resource, string Name, string Value)> Environment { get; init; } = [];

    /// <summary>Last word on the model before it is built (remove a resource, add environment).</summary>
    public Action<IDistributedApplicationTestingBuilder>? Configure { get; init; }

    /// <summary>Extra AppHost configuration, as <c>key=value</c> arguments.</summary>
    public IReadOnlyList<string> AppHostArgs { get; init; } = [];

    /// <summary>Run the Aspire dashboard too (the testing builder turns it off by default); its URLs come from <see cref="AppHostArgs"/>.</summary>
    public bool Dashboard { get; init; }
}
