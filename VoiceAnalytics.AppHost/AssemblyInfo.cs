// The local Postgres resource uses setpriv and Unix file modes: the AppHost runs on Linux.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
