namespace VoiceAnalytics.Gateway.Admin.Contracts;

/// <summary>A new key: <see cref="Secret"/> is shown this once and never stored.</summary>
public sealed record CreatedKey(ApiKeyRecord Key, string Secret);
