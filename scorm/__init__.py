"""SCORM 1.2, SCORM 2004 4th ed. and IMS Common Cartridge packaging, the learner runtime, and validation."""
