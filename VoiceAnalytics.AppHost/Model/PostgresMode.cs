namespace VoiceAnalytics.AppHost.Model;

/// <summary>Where the Postgres server comes from.</summary>
public enum PostgresMode
{
    /// <summary>External when a connection string is configured, otherwise embedded.</summary>
    Auto,

    /// <summary>The PostgreSQL server binaries on this machine, data kept in a folder between runs.</summary>
    Embedded,

    /// <summary>A container from Docker or Podman, data kept in a named volume.</summary>
    Container,

    /// <summary>A server the user runs, from <c>ConnectionStrings__&lt;database&gt;</c>.</summary>
    External,
}
