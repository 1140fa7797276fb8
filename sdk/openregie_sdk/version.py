"""The SDK version that module manifests' `sdk` specifiers are checked against."""

SDK_VERSION = "1.2.0"
