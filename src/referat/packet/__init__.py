"""The agenda packet (dagsordenspakke) and the minutes with attachments: one PDF with every bilag."""
