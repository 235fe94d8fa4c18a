namespace VoiceAnalytics.Infrastructure.Data;

/// <summary>
/// Ordered SQL migrations for one schema. A service registers its own (<see cref="MigrationSet"/>); shared
/// pieces such as a job queue register theirs too, and the migration runner applies every registered source,
/// in registration order, under one advisory lock.
/// </summary>
public interface IMigrationSource
{
    /// <summary>The schema the migrations belong to; versions are recorded per schema.</summary>
    string Schema { get; }

    /// <summary>The migrations, ordered; each version is applied once per database.</summary>
    IReadOnlyList<(string Version, string Sql)> Load();
}
