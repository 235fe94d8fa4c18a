namespace VoiceAnalytics.Gateway.Admin.Sessions;

/// <summary>The JWKS document: every key that verifies access tokens.</summary>
public sealed record JsonWebKeySet(IReadOnlyList<JsonWebKey> Keys);
