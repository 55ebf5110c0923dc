//! DUPIRN handling (being written).
