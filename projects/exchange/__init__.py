"""Excel exchange: the progress workbook and table exports, the import (reading, checking,
preview, writing) and its set-based writes."""
