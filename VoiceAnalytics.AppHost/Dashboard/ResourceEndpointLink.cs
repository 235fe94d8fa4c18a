namespace VoiceAnalytics.AppHost.Dashboard;

/// <summary>One endpoint of a resource as a link (name "http", "grpc", …).</summary>
public sealed record ResourceEndpointLink(string Name, string Url);
