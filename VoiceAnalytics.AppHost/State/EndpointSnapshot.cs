namespace VoiceAnalytics.AppHost.State;

/// <summary>One endpoint of a resource as tools see it.</summary>
public sealed record EndpointSnapshot(string Name, string Url, string Protocol, bool IsExternal);
