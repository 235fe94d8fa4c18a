namespace VoiceAnalytics.Gateway.Admin.Sessions;

/// <summary>An Ed25519 public key as an OKP JSON Web Key.</summary>
public sealed record JsonWebKey(string Kty, string Crv, string X, string Kid, string Use, string Alg);
