namespace VoiceAnalytics.AppHost.Hosting;

/// <summary>The handle the wiring diagram chains calls on (covariant, so a database passes where a connection string is expected).</summary>
public interface IResourceBuilder<out T>
{
    T Resource { get; }

    DistributedApplicationBuilder ApplicationBuilder { get; }
}
